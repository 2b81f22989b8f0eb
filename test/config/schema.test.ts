// The schema as data: key lookup per file kind and section, built-in options, expansion and switch rules.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { BUILTIN_STEP_OPTIONS, findKeySpec, findSectionSpec, keysOfSection, schema } from '../../runtime/config/schema';
import { checkValue } from '../../runtime/config/values';
import { expandValue } from '../../runtime/config/expand';
import { suggest } from '../../runtime/config/suggest';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { generateConfigAuto } from '../../runtime/config/generate';
import { GENERAL, tempTree } from './helpers';

test('findKeySpec finds a key by file kind, section name and key', () => {
  assert.equal(findKeySpec('plugin', 'step_main', 'numprocesses')?.default, '1');
  assert.equal(findKeySpec('plugin', 'step_main', 'timeout')?.default, '600');
  assert.equal(findKeySpec('plugin', 'general', '_version')?.mandatory, true);
  assert.equal(findKeySpec('observer', 'step_p_s_1', 'directory')?.type, 'abs-path');
  assert.equal(findKeySpec('observer', 'common', 'forced_poll')?.default, '0');
  assert.equal(findKeySpec('module', 'redis', 'max_memory')?.default, '2048');
  assert.equal(findKeySpec('plugin', 'step_main', 'nope'), undefined);
  assert.equal(findKeySpec('plugin', 'nosuchsection', 'x'), undefined);
});

test('built-in options belong to a step only when its _step_module is that built-in', () => {
  assert.equal(findKeySpec('plugin', 'step_s', 'dest_dirs', 'builtin:copy')?.mandatory, true);
  assert.equal(findKeySpec('plugin', 'step_s', 'dest_dirs', 'main.ts'), undefined);
  assert.equal(findKeySpec('plugin', 'step_s', 'dest_dirs')?.type, 'target-list', 'without a module, any built-in option is found (hover)');
  assert.ok(keysOfSection('plugin', 'step_s', 'builtin:archive').some((k) => k.key === 'keep_tags_suffix'));
});

test('every mandatory key without a default has an example value that passes its own check', () => {
  const keys = [...Object.values(schema).flatMap((f) => f.sections.flatMap((s) => s.keys)), ...Object.values(BUILTIN_STEP_OPTIONS).flat()];
  for (const k of keys.filter((x) => x.mandatory && x.default === '')) {
    assert.ok(k.example, `${k.key} has no example`);
    assert.equal(checkValue(k, k.example), undefined, `${k.key} = ${k.example}`);
  }
});

test('[custom] and switch rule sections take free keys', () => {
  assert.equal(findSectionSpec('plugin', 'custom')?.freeKeys, 'custom');
  assert.equal(findSectionSpec('plugin', 'switch_rules@other:fnmatch:latest.x')?.freeKeys, 'switch-rule');
  assert.equal(findSectionSpec('override', 'switch_rules:alwaystrue'), undefined, 'operators cannot add routing rules');
});

test('{{VAR}} expansion tolerates blanks and names what it cannot expand', () => {
  const ab = expandValue('{{A}}/{{ B }}/x', { A: 'a', B: 'b' });
  assert.deepEqual({ value: ab.value, errors: ab.errors }, { value: 'a/b/x', errors: [] });
  assert.deepEqual(expandValue('x{{ C }}', {}).errors, [{ offset: 1, length: 7, name: 'C', message: "unknown variable 'C' in '{{ C }}'" }]);
  assert.equal(expandValue('{{ A|upper }}', { A: 'a' }).errors[0].message, "unsupported template expression '{{ A|upper }}'");
  assert.equal(expandValue('{MFDATA_CURRENT_STEP_DIR}', {}).value, '{MFDATA_CURRENT_STEP_DIR}', 'single braces are left for the generator');
});

test('a range of an expanded value maps back to where it was written, never inside a {{…}}', () => {
  const e = expandValue('{{P}}/main, beta/mian, b@d', { P: 'alpha' });
  assert.equal(e.value, 'alpha/main, beta/mian, b@d');
  // '{{P}}' and 'alpha' have the same length; '{{HOME}}' (8) is shorter than its value (15): b@d moves back 7.
  assert.deepEqual(e.written(e.value.indexOf('b@d'), 3), { offset: '{{P}}/main, beta/mian, '.length, length: 3 });
  const long = expandValue('{{HOME}}/x, b@d', { HOME: '/very/long/home' });
  assert.deepEqual(long.written(long.value.indexOf('b@d'), 3), { offset: '{{HOME}}/x, '.length, length: 3 });
  // A range inside (or across) an expansion covers the whole {{…}}.
  assert.deepEqual(long.written(3, 2), { offset: 0, length: '{{HOME}}'.length });
  assert.deepEqual(long.written(3, long.value.indexOf(',') - 3), { offset: 0, length: '{{HOME}}/x'.length });
});

test('did-you-mean picks the closest candidate within a third of the word', () => {
  assert.equal(suggest('numprocess', ['numprocesses', 'debug']), 'numprocesses');
  assert.equal(suggest('FAILURE_POLICY', ['failure_policy']), 'failure_policy');
  assert.equal(suggest('zzz', ['numprocesses']), undefined);
});

test('switch rules: section name, escaped pattern, bare steps of the same plugin, hardlinks; grouped per switch instance', () => {
  const t = tempTree({
    'ws/plugins/router/config.ini': GENERAL + [
      '[step_main]', '_step_module = builtin:switch',
      '[step_out]', '_step_module = builtin:delete',
      '[switch_rules:fnmatch:latest.guess_file_type.main.system_magic]',
      'gzip compressed data* = out*, main',
      '[switch_rules@other:equal:first.core.original_basename]',
      'a@@@@@@b~~~~~~c = router/out',
      '',
    ].join('\n'),
  });
  try {
    const { config, problems } = loadRuntimeConfig({ workspace: t.workspace, home: t.home, env: {} });
    // The rules feed the instances 'switch' and 'other'; the step evaluates 'router' (its plugin name).
    assert.deepEqual(problems.map((p) => `${p.line} ${p.code}`), ['9 switch-without-rules', '12 unused-switch-rules', '14 unused-switch-rules']);
    const rules = config.plugins[0].switchRules.map((r) => ({ ...r, file: '' }));
    assert.deepEqual(rules, [
      { switchName: 'switch', type: 'fnmatch', tag: 'latest.guess_file_type.main.system_magic', pattern: 'gzip compressed data*',
        targets: [{ plugin: 'router', step: 'out', hardlinkAllowed: true }, { plugin: 'router', step: 'main', hardlinkAllowed: false }], plugin: 'router', file: '', line: 13 },
      { switchName: 'other', type: 'equal', tag: 'first.core.original_basename', pattern: 'a=b#c',
        targets: [{ plugin: 'router', step: 'out', hardlinkAllowed: false }], plugin: 'router', file: '', line: 15 },
    ]);
    assert.equal(config.plugins[0].steps.find((s) => s.name === 'main')?.options.switch_name, 'router');
    const generated = generateConfigAuto(config, { runtimeDir: '/r', nodePath: '/n' });
    const byInstance = JSON.parse(generated.files.find((f) => f.path === 'switch_rules.json')!.content);
    assert.deepEqual(Object.keys(byInstance), ['other', 'switch']);
  } finally {
    t.cleanup();
  }
});
