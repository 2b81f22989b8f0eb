// Switch rules on plain data: every rule type, negations, missing tags, union of targets, bad rules reported with file:line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SwitchRule, SwitchRuleType } from '../../runtime/config/model';
import { compileSwitch, evaluateSwitch, TAG_NOT_FOUND } from '../../runtime/switch/rules';
import { fnmatch } from '../../runtime/switch/patterns';

const MAGIC = 'latest.guess_file_type.main.system_magic';
const NAME = 'first.core.original_basename';

function rule(type: SwitchRuleType, pattern: string, targets: string, extra: Partial<SwitchRule> = {}): SwitchRule {
  return {
    switchName: 'switch', type, tag: type === 'alwaystrue' || type === 'function' ? '' : MAGIC, pattern,
    targets: targets.split(',').map((t) => t.trim()).map((t) => {
      const [plugin, step] = t.replace(/\*$/, '').split('/');
      return { plugin, step, hardlinkAllowed: t.endsWith('*') };
    }),
    plugin: 'p', file: '/ws/plugins/p/config.ini', line: 10, ...extra,
  };
}

const known = new Set(['a/main', 'b/main', 'c/main', 'ungzip/main']);
const gzip = { path: '/in/tmp/x', tags: { [MAGIC]: 'gzip compressed data, was "x.txt", from Unix', [NAME]: 'obs_2024.txt.gz' } };
const ascii = { path: '/in/tmp/y', tags: { [MAGIC]: 'ASCII text', [NAME]: 'readme.txt' } };
const untagged = { path: '/in/tmp/z', tags: {} };

const table: { name: string; rule: SwitchRule; file: typeof gzip | typeof untagged; matches: boolean }[] = [
  { name: 'equal matches the exact value', rule: rule('equal', 'ASCII text', 'a/main'), file: ascii, matches: true },
  { name: 'equal does not match a prefix', rule: rule('equal', 'ASCII', 'a/main'), file: ascii, matches: false },
  { name: 'notequal matches a different value', rule: rule('notequal', 'ASCII text', 'a/main'), file: gzip, matches: true },
  { name: 'notequal does not match the same value', rule: rule('notequal', 'ASCII text', 'a/main'), file: ascii, matches: false },
  { name: 'fnmatch * matches the rest', rule: rule('fnmatch', 'gzip compressed data*', 'a/main'), file: gzip, matches: true },
  { name: 'fnmatch is anchored at both ends', rule: rule('fnmatch', 'compressed*', 'a/main'), file: gzip, matches: false },
  { name: 'fnmatch ? and [set]', rule: rule('fnmatch', 'obs_20[0-9]?.txt.gz', 'a/main', { tag: NAME }), file: gzip, matches: true },
  { name: 'fnmatch [!set]', rule: rule('fnmatch', '[!o]*', 'a/main', { tag: NAME }), file: gzip, matches: false },
  { name: 'fnmatch is case-sensitive', rule: rule('fnmatch', 'GZIP*', 'a/main'), file: gzip, matches: false },
  { name: 'notfnmatch negates', rule: rule('notfnmatch', 'gzip*', 'a/main'), file: ascii, matches: true },
  { name: 'notfnmatch negates (no match)', rule: rule('notfnmatch', 'gzip*', 'a/main'), file: gzip, matches: false },
  { name: 'regex is anchored at the start (re.match)', rule: rule('regex', 'compressed', 'a/main'), file: gzip, matches: false },
  { name: 'regex need not match to the end', rule: rule('regex', 'gzip comp', 'a/main'), file: gzip, matches: true },
  { name: 'regex with a Python named group', rule: rule('regex', '(?P<y>obs)_\\d{4}', 'a/main', { tag: NAME }), file: gzip, matches: true },
  { name: 'notregex negates', rule: rule('notregex', '^ASCII', 'a/main'), file: gzip, matches: true },
  { name: 'notregex negates (no match)', rule: rule('notregex', 'ASCII', 'a/main'), file: ascii, matches: false },
  { name: 'alwaystrue', rule: rule('alwaystrue', '*', 'a/main'), file: untagged, matches: true },
  { name: 'a missing tag reads as {NOT_FOUND} (equal)', rule: rule('equal', TAG_NOT_FOUND, 'a/main'), file: untagged, matches: true },
  { name: 'a missing tag matches notequal', rule: rule('notequal', 'ASCII text', 'a/main'), file: untagged, matches: true },
  { name: 'a missing tag does not match fnmatch *text', rule: rule('fnmatch', '*text', 'a/main'), file: untagged, matches: false },
];

for (const row of table) {
  test(`switch rule: ${row.name}`, async () => {
    const sw = compileSwitch('switch', [row.rule], { knownSteps: known });
    assert.deepEqual(sw.problems, []);
    const d = await evaluateSwitch(sw, row.file);
    assert.equal(d.matched.length === 1, row.matches);
    assert.deepEqual(d.targets.map((t) => `${t.plugin}/${t.step}`), row.matches ? ['a/main'] : []);
  });
}

test('every rule is evaluated and the targets of all matching rules are unioned without duplicates', async () => {
  const sw = compileSwitch('switch', [
    rule('fnmatch', 'gzip*', 'a/main, b/main*'),
    rule('regex', 'gzip', 'b/main*, c/main'),
    rule('equal', 'ASCII text', 'ungzip/main'),
    rule('alwaystrue', '', 'a/main'),
  ], { knownSteps: known });
  const d = await evaluateSwitch(sw, gzip);
  assert.equal(d.matched.length, 3);
  assert.deepEqual(d.targets, [
    { plugin: 'a', step: 'main', hardlinkAllowed: false },
    { plugin: 'b', step: 'main', hardlinkAllowed: true },
    { plugin: 'c', step: 'main', hardlinkAllowed: false },
  ]);
});

test('a step named by two rules allows a hardlink only if both rules allow it', async () => {
  const sw = compileSwitch('switch', [rule('alwaystrue', '', 'a/main*'), rule('alwaystrue', '', 'a/main')], { knownSteps: known });
  const d = await evaluateSwitch(sw, untagged);
  assert.deepEqual(d.targets, [{ plugin: 'a', step: 'main', hardlinkAllowed: false }]);
});

test('rules of another switch instance are not part of this one', async () => {
  const sw = compileSwitch('switch', [rule('alwaystrue', '', 'a/main', { switchName: 'other' })], { knownSteps: known });
  assert.equal(sw.rules.length, 0);
});

test('an invalid regex is reported with file:line and the other rules keep working', async () => {
  const sw = compileSwitch('switch', [
    rule('regex', 'gzip (unclosed', 'a/main', { line: 42 }),
    rule('fnmatch', 'gzip*', 'b/main', { line: 43 }),
  ], { knownSteps: known });
  assert.equal(sw.problems.length, 1);
  const p = sw.problems[0];
  assert.equal(p.file, '/ws/plugins/p/config.ini');
  assert.equal(p.line, 42);
  assert.equal(p.code, 'bad-regex');
  assert.equal(p.severity, 'warning', 'a skipped rule does not stop the switch');
  assert.match(p.message, /^rule ignored: \[switch_rules:regex:latest\.guess_file_type\.main\.system_magic\] invalid regular expression 'gzip \(unclosed': Unterminated group, fix the pattern$/);
  const d = await evaluateSwitch(sw, gzip);
  assert.deepEqual(d.targets.map((t) => t.plugin), ['b']);
});

test('a wildcard that cannot compile is reported as such with file:line, not as a function rule', () => {
  const sw = compileSwitch('switch', [rule('fnmatch', '*.[z-a]', 'a/main', { line: 12 }), rule('notfnmatch', '*.gz', 'b/main')], { knownSteps: known });
  assert.deepEqual(sw.problems.map((p) => `${p.line} ${p.code} ${p.message}`),
    ["12 bad-fnmatch rule ignored: [switch_rules:fnmatch:latest.guess_file_type.main.system_magic] invalid wildcard pattern '*.[z-a]': Range out of order in character class, fix the pattern"]);
  assert.equal(sw.rules.length, 1);
});

test('an unknown target step is reported with file:line and dropped; the rule keeps its other targets', async () => {
  const sw = compileSwitch('switch', [rule('alwaystrue', '', 'a/main, nosuch/step', { line: 7 })], { knownSteps: known });
  assert.equal(sw.problems.length, 1);
  assert.equal(sw.problems[0].line, 7);
  assert.equal(sw.problems[0].code, 'unknown-target');
  assert.match(sw.problems[0].message, /nosuch\/step/);
  const d = await evaluateSwitch(sw, untagged);
  assert.deepEqual(d.targets.map((t) => t.plugin), ['a']);
});

test('a function rule decides from the file; one that throws counts as no match and is reported', async () => {
  const sw = compileSwitch('switch', [
    rule('function', 'rules.ts:isGzipName', 'a/main'),
    rule('function', 'rules.ts:broken', 'b/main'),
  ], {
    knownSteps: known,
    loadFunction: (r) => r.pattern.endsWith('isGzipName')
      ? (f) => (f.tags[NAME] ?? '').endsWith('.gz')
      : () => { throw new Error('boom'); },
  });
  const d = await evaluateSwitch(sw, gzip);
  assert.deepEqual(d.targets.map((t) => t.plugin), ['a']);
  assert.equal(d.errors.length, 1);
  assert.equal((d.errors[0].error as Error).message, 'boom');
});

test('a function rule that cannot be loaded is reported and left out', () => {
  const sw = compileSwitch('switch', [rule('function', 'nope.ts:f', 'a/main', { line: 3 })], {
    knownSteps: known, loadFunction: () => { throw new Error('cannot find nope.ts'); },
  });
  assert.equal(sw.rules.length, 0);
  assert.equal(sw.problems[0].code, 'bad-function-rule');
  assert.match(sw.problems[0].message, /cannot find nope\.ts/);
});

test('fnmatch follows Python: * crosses /, an unclosed [ is literal, [!] negates', () => {
  assert.ok(fnmatch('a/b/c', 'a*c'));
  assert.ok(fnmatch('x[y', 'x[y'));
  assert.ok(fnmatch(']', '[]]'));
  assert.ok(fnmatch('b', '[!a]'));
  assert.ok(!fnmatch('a', '[!a]'));
  assert.ok(fnmatch('a.b', 'a.b'));
  assert.ok(!fnmatch('axb', 'a.b'));
});
