// Completion of the language service: section names, the keys a section may still take (with docs and
// defaults), and values by type: enums, booleans, built-in steps and step modules, targets, queues, directories.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cursor, doc, GENERAL, languageFixture, r, type LanguageFixture } from './helpers';

let f: LanguageFixture;
before(() => {
  f = languageFixture();
});
after(() => f.cleanup());

function complete(file: string, textWithBar: string) {
  const c = cursor(textWithBar);
  return f.service.completion(doc(file, c.text), c.at);
}
const labels = (file: string, text: string): string[] => complete(file, text).map((i) => i.label);

describe('completion', () => {
  test('section names of a plugin config.ini: the missing fixed ones, a step and every switch rule type', () => {
    const items = complete(f.paths.alpha, `${GENERAL}\n[|\n`);
    assert.deepEqual(items.map((i) => i.label), ['custom', 'step_main', 'switch_rules:equal:', 'switch_rules:notequal:', 'switch_rules:fnmatch:',
      'switch_rules:notfnmatch:', 'switch_rules:regex:', 'switch_rules:notregex:', 'switch_rules:alwaystrue', 'switch_rules:function']);
    assert.equal(items[0].insertText, 'custom]', 'the closing bracket is added when missing');
    assert.equal(r(items[0].range), '7:1-7:1');
  });

  test('section names inside an existing header replace the name, not the bracket', () => {
    const items = complete(f.paths.module, '[lo|gg]\n');
    assert.ok(items.some((i) => i.label === 'log' && i.insertText === 'log' && r(i.range) === '0:1-0:5'));
  });

  test('observer sections: [common] and one per known step', () => {
    assert.deepEqual(labels(f.paths.observer, '[|'), ['common', 'step_alpha_archive', 'step_alpha_main', 'step_beta_main', 'step_switch_main']);
  });

  test('keys of [log] in mfdata.ini, with type, default and docs', () => {
    const items = complete(f.paths.module, '[log]\nkeep = 3\n|\n');
    assert.deepEqual(items.map((i) => i.label), ['minimal_level', 'max_size_mb', 'max_age_seconds', 'elasticsearch_url'], 'keys already written are left out');
    const level = items[0];
    assert.equal(level.insertText, 'minimal_level = INFO');
    assert.equal(level.detail, 'enum · default INFO');
    assert.match(level.documentation ?? '', /lowest level written/);
    assert.match(level.documentation ?? '', /values: `DEBUG`, `INFO`, `WARNING`, `ERROR`, `CRITICAL`/);
  });

  test('keys of a step include the options of its built-in, mandatory first', () => {
    const items = complete(f.paths.alpha, `${GENERAL}\n[step_x]\n_step_module = builtin:copy\nfail|\n`);
    assert.equal(items[0].label, 'dest_dirs');
    assert.equal(items[0].detail, 'target-list · mandatory');
    assert.match(items[0].sortText ?? '', /^0/, 'mandatory keys sort first');
    assert.equal(r(items[0].range), '9:0-9:4', 'the typed word is replaced');
    assert.ok(items.some((i) => i.label === 'failure_policy_move_dest_dir'));
    assert.ok(!items.some((i) => i.label === '_step_module'), 'a key already set is not offered again');
  });

  test('on a line that already has "=", only the key is inserted', () => {
    const item = complete(f.paths.module, '[log]\nmax_s| = 3\n').find((i) => i.label === 'max_size_mb');
    assert.equal(item?.insertText, 'max_size_mb');
    assert.equal(r(item!.range), '1:0-1:5');
  });

  test('an operator override is not offered private keys', () => {
    const got = labels(f.paths.override, '[step_main]\n|\n');
    assert.ok(got.includes('numprocesses'));
    assert.ok(!got.some((k) => k.startsWith('_')));
  });

  test('an operator override of a built-in step is offered the options of the plugin\'s _step_module', () => {
    assert.ok(labels(f.paths.override, '[step_archive]\n|\n').includes('lifetime'));
    assert.ok(!labels(f.paths.override, '[step_main]\n|\n').includes('lifetime'));
  });

  test('enum values', () => {
    const items = complete(f.paths.alpha, `${GENERAL}\n[step_main]\nfailure_policy = |\n`);
    assert.deepEqual(items.map((i) => i.label), ['keep', 'delete', 'move']);
    assert.equal(r(items[0].range), '8:17-8:17');
  });

  test('booleans', () => {
    assert.deepEqual(labels(f.paths.observer, '[common]\n[a]\nactive = |\n'), ['1', '0', 'true', 'false']);
  });

  test('step modules: the plugin\'s script files and every built-in', () => {
    assert.deepEqual(labels(f.paths.alpha, `${GENERAL}\n[step_main]\n_step_module = |\n`), ['main.ts', 'builtin:copy', 'builtin:move', 'builtin:archive',
      'builtin:fork', 'builtin:delete', 'builtin:ungzip', 'builtin:unbzip2', 'builtin:switch', 'builtin:guess_file_type']);
  });

  test('targets: every known plugin/step (internal switch included), replacing only the current list item', () => {
    const items = complete(f.paths.alpha, `${GENERAL}\n[step_main]\n_step_module = builtin:copy\ndest_dirs = beta/main, al|pha\n`);
    assert.deepEqual(items.map((i) => i.label), ['alpha/main', 'beta/main', 'switch/main']);
    assert.equal(r(items[0].range), '9:23-9:28');
  });

  test('switch rule values are targets; the plugin\'s own steps come from the text being edited', () => {
    assert.deepEqual(labels(f.paths.alpha, `${GENERAL}\n[switch_rules:alwaystrue]\n* = |\n`), ['beta/main', 'switch/main']);
    assert.deepEqual(labels(f.paths.alpha, `${GENERAL}\n[step_new]\n[switch_rules:alwaystrue]\n* = |\n`), ['alpha/new', 'beta/main', 'switch/main']);
  });

  test('observer queues', () => {
    assert.deepEqual(labels(f.paths.observer, '[common]\n[a]\nqueue = |\n'), ['step.alpha.archive', 'step.alpha.main', 'step.beta.main', 'step.switch.main']);
  });

  test('absolute directories under the typed path (non-ASCII names included)', () => {
    const items = complete(f.paths.observer, `[common]\n[a]\ndirectory = ${f.root}/d|\n`);
    assert.deepEqual(items.map((i) => i.label), [`${f.root}/données/`, `${f.root}/home/`, `${f.root}/ws/`]);
    assert.equal(items[0].insertText, `${f.root}/données`);
    assert.equal(r(items[0].range), `2:12-2:${12 + f.root.length + 2}`);
  });

  test('watched_directories: the step inbox placeholder and directories of the inbox root', () => {
    assert.deepEqual(labels(f.paths.alpha, `${GENERAL}\n[step_main]\nwatched_directories = |\n`), ['{MFDATA_CURRENT_STEP_DIR}', 'incoming/', 'step.alpha.main/']);
  });

  test('nothing in comments or in a header line after the name', () => {
    assert.deepEqual(labels(f.paths.module, '[log]\n# min|\n'), []);
    assert.deepEqual(labels(f.paths.module, '|[log]\n'), []);
  });

  test('CRLF documents complete on the right line', () => {
    assert.deepEqual(labels(f.paths.alpha, `${GENERAL}\r\n[step_main]\r\nfailure_policy = |\r\n`), ['keep', 'delete', 'move']);
  });
});
