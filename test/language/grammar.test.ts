// The contributed languages and grammars: package.json points at files that exist, every grammar regex
// compiles, the main rules match the lines they are for, and the file patterns agree with the service.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { classifyPath } from '../../src/language/service/environment';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { languages: { id: string; filenamePatterns: string[]; configuration: string }[]; grammars: { language?: string; scopeName: string; path: string }[] };
};
type Rule = { match?: string; begin?: string; end?: string; patterns?: Rule[]; captures?: Record<string, Rule>; beginCaptures?: Record<string, Rule>; name?: string };
const grammar = JSON.parse(fs.readFileSync(path.join(root, 'syntaxes/mfdata-ini.tmLanguage.json'), 'utf8')) as { repository: Record<string, Rule> };

function regexes(rule: Rule, out: string[] = []): string[] {
  for (const r of [rule.match, rule.begin, rule.end]) if (r) out.push(r);
  for (const sub of [...(rule.patterns ?? []), ...Object.values(rule.captures ?? {}), ...Object.values(rule.beginCaptures ?? {})]) regexes(sub, out);
  return out;
}

test('both languages and their grammars point at files that exist', () => {
  assert.deepEqual(pkg.contributes.languages.map((l) => l.id), ['mfdata-observer-ini', 'mfdata-config-ini']);
  for (const l of pkg.contributes.languages) assert.ok(fs.existsSync(path.join(root, l.configuration)), l.configuration);
  for (const g of pkg.contributes.grammars) assert.ok(fs.existsSync(path.join(root, g.path)), g.path);
  const configuration = JSON.parse(fs.readFileSync(path.join(root, pkg.contributes.languages[0].configuration), 'utf8')) as { comments: { lineComment: string } };
  assert.equal(configuration.comments.lineComment, '#');
});

test('every grammar regex compiles', () => {
  const all = Object.values(grammar.repository).flatMap((r) => regexes(r));
  assert.ok(all.length > 15);
  for (const re of all) assert.doesNotThrow(() => new RegExp(re), re);
});

test('the rules match what they are for', () => {
  const rx = (name: string): RegExp => new RegExp(grammar.repository[name].match ?? grammar.repository[name].begin ?? '');
  assert.match('  # a comment', rx('comment'));
  assert.match('[step_main]', rx('section'));
  assert.equal(rx('switch-rules-section').exec('[switch_rules@sw:regex:latest.x]')?.slice(2, 6).join('|'), 'switch_rules|@sw|:regex|:latest.x');
  assert.equal(rx('regex-entry').exec('ignore = ^.*\\.t$;^.*\\.tmp$')?.[3], '^.*\\.t$;^.*\\.tmp$');
  assert.deepEqual(rx('entry').exec('numprocesses[DEV] = 2')?.slice(1, 7), ['numprocesses', '[', 'DEV', ']', '=', '2']);
  const value = grammar.repository.value.patterns!;
  const named = (text: string): string | undefined => value.find((p) => new RegExp(p.match!).test(text))?.name;
  assert.equal(named('true'), 'constant.language.boolean.mfdata-ini');
  assert.equal(named('600'), 'constant.numeric.mfdata-ini');
  assert.equal(named('{MFDATA_CURRENT_STEP_DIR}'), undefined, 'placeholders are captured, not named as a whole');
  assert.match('{{MFDATA_HOME}}/x', new RegExp(value[0].match!));
  assert.match('{ORIGINAL_BASENAME}', new RegExp(value[2].match!));
});

test('file patterns of the languages agree with what the service classifies', () => {
  const opts = { workspace: '/ws', home: '/ws/.mfdata' };
  const glob = (pattern: string): RegExp =>
    new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*\*\//g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '(?:.*/)?')}$`);
  const samples: [string, string, string | undefined][] = [
    ['/ws/.mfdata/tmp/config_auto/directory_observer.ini', 'mfdata-observer-ini', 'observer'],
    ['/ws/directory_observer.ini', 'mfdata-observer-ini', 'observer'],
    ['/ws/plugins/alpha/config.ini', 'mfdata-config-ini', 'plugin'],
    ['/ws/.mfdata/var/plugins/beta/config.ini', 'mfdata-config-ini', 'plugin'],
    ['/ws/mfdata.ini', 'mfdata-config-ini', 'module'],
    ['/ws/.mfdata/config/plugins/alpha.ini', 'mfdata-config-ini', 'override'],
  ];
  for (const [file, language, kind] of samples) {
    const matching = pkg.contributes.languages.filter((l) => l.filenamePatterns.some((p) => glob(p).test(file))).map((l) => l.id);
    assert.deepEqual(matching, [language], file);
    assert.equal(classifyPath(file, opts)?.kind, kind, file);
  }
  assert.equal(classifyPath('/ws/.mfdata/tmp/config_auto/directory_observer.ini', opts)?.generated, true);
  assert.equal(classifyPath('/ws/directory_observer.ini', opts)?.generated, false);
  assert.equal(classifyPath('/ws/README.ini', opts), undefined);
});
