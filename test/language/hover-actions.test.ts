// Hover (schema docs, step references with live figures), quick fixes (their exact edits), outline and
// go-to-definition of the language service.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MonitorLiveFigures, type FiguresSource } from '../../src/language/liveFigures';
import type { NoLiveFigures, Range, StepFigures } from '../../src/language/service/types';
import { cursor, doc, GENERAL, languageFixture, r, type LanguageFixture } from './helpers';

let f: LanguageFixture;
/** Live figures as the host would read them from Redis: alpha's steps have figures, the others `noFigures`. */
const asked: string[] = [];
let noFigures: NoLiveFigures = 'not running';
before(() => {
  f = languageFixture({
    async stepFigures(plugin: string, step: string): Promise<StepFigures | NoLiveFigures> {
      asked.push(`${plugin}/${step}`);
      return plugin === 'alpha' ? { queued: 3, processed: 41, failed: 2 } : noFigures;
    },
  });
});
after(() => f.cleanup());

const EVERYWHERE: Range = { start: { line: 0, character: 0 }, end: { line: 9999, character: 0 } };

async function hoverAt(file: string, textWithBar: string) {
  const c = cursor(textWithBar);
  return f.service.hover(doc(file, c.text), c.at);
}

/** Applies edits (non-overlapping) to a text, last first. */
function apply(text: string, edits: { range: Range; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: Range['start']): number => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

describe('hover', () => {
  test('on a key: its documentation, type, default and minimum from the schema', async () => {
    const h = await hoverAt(f.paths.alpha, `${GENERAL}\n[step_main]\nretry_t|otal = 3\n`);
    assert.equal(r(h!.range), '8:0-8:11');
    assert.equal(h!.contents, '**retry_total** in `[step_<name>]`\n\nattempts after a failure before the failure policy applies (0 = no retry)\n\n- type: `int`\n- default: `0`\n- minimum: 0');
  });

  test('on an enum value: the key\'s documentation with its values', async () => {
    const h = await hoverAt(f.paths.module, '[log]\nminimal_level = DEB|UG\n');
    assert.equal(r(h!.range), '1:16-1:21');
    assert.match(h!.contents, /- values: `DEBUG`, `INFO`, `WARNING`, `ERROR`, `CRITICAL`/);
  });

  test('on a built-in option: found through the step\'s _step_module, with a computed default', async () => {
    const h = await hoverAt(f.paths.alpha, `${GENERAL}\n[step_x]\n_step_module = builtin:move\ndest_base|name = x\n`);
    assert.match(h!.contents, /^\*\*dest_basename\*\* in `\[step_<name>\]`/);
    assert.match(h!.contents, /- default: `\{ORIGINAL_BASENAME\}`/);
  });

  test('on a section header: what the section is for', async () => {
    const h = await hoverAt(f.paths.module, '[red|is]\n');
    assert.equal(h!.contents, '**[redis]**\n\nthe Redis server holding queues, tags and counters');
    assert.equal(r(h!.range), '0:1-0:6');
  });

  test('on a target while the runtime runs: the step\'s queue and live figures', async () => {
    const h = await hoverAt(f.paths.alpha, `${GENERAL}\n[step_main]\nfailure_policy = move\nfailure_policy_move_dest_dir = alpha/ma|in\n`);
    assert.equal(h!.contents, '**alpha/main**: queue `step.alpha.main`\n\nqueued **3** · processed **41** · failed **2**');
    assert.equal(r(h!.range), '9:31-9:41');
    assert.ok(asked.includes('alpha/main'));
  });

  test('on an observer queue without live figures: says the runtime does not run', async () => {
    const h = await hoverAt(f.paths.observer, '[common]\n[a]\nqueue = step.beta.m|ain\n');
    assert.equal(h!.contents, '**beta/main**: queue `step.beta.main`\n\nruntime not running: no live figures');
  });

  test('on a queue without live figures because the setting is off, or Redis did not answer: says which', async () => {
    const said = async (why: NoLiveFigures): Promise<string | undefined> => {
      noFigures = why;
      try {
        return (await hoverAt(f.paths.observer, '[common]\n[a]\nqueue = step.beta.m|ain\n'))?.contents.split('\n').pop();
      } finally {
        noFigures = 'not running';
      }
    };
    assert.equal(await said('off'), 'live figures off (setting `mfdata.language.liveFigures`)');
    assert.equal(await said('timed out'), 'no live figures: the runtime\'s Redis did not answer in time');
    assert.equal(await said('unreadable'), 'no live figures: the runtime\'s Redis could not be read');
  });

  test('on a target naming no step: says so', async () => {
    const h = await hoverAt(f.paths.alpha, `${GENERAL}\n[step_main]\n_step_module = builtin:copy\ndest_dirs = beta/main, beta/no|pe\n`);
    assert.match(h!.contents, /^\*\*beta\/nope\*\*: queue `step.beta.nope` \(no such step is declared\)/);
    assert.equal(r(h!.range), '9:23-9:32');
  });

  test('nothing over a comment or a blank line', async () => {
    assert.equal(await hoverAt(f.paths.module, '# a com|ment\n[log]\n'), undefined);
    assert.equal(await hoverAt(f.paths.module, '[log]\n|\n'), undefined);
  });
});

describe('code actions', () => {
  test('a misspelt key is replaced by the closest key of its section', () => {
    const text = `${GENERAL}\n[step_main]\nnumprocesess = 2\n`;
    const [action] = f.service.codeActions(doc(f.paths.alpha, text), EVERYWHERE);
    assert.equal(action.title, "Change 'numprocesess' to 'numprocesses'");
    assert.equal(action.diagnostic.code, 'unknown-key');
    assert.equal(apply(text, action.edits!), `${GENERAL}\n[step_main]\nnumprocesses = 2\n`);
  });

  test('a misspelt enum value, target and queue are replaced by the suggestion', () => {
    const plugin = `${GENERAL}\n[step_main]\nfailure_policy = mvoe\nfailure_policy_move_dest_dir = beta/mian\n`;
    const actions = f.service.codeActions(doc(f.paths.alpha, plugin), EVERYWHERE);
    assert.deepEqual(actions.map((a) => a.title), ["Change 'mvoe' to 'move'", "Change 'beta/mian' to 'beta/main'"]);
    assert.equal(apply(plugin, actions.flatMap((a) => a.edits!)), `${GENERAL}\n[step_main]\nfailure_policy = move\nfailure_policy_move_dest_dir = beta/main\n`);
    const observer = `[common]\nredis_unix_socket = /x\n[a]\ndirectory = ${f.dataDir}\nqueue = step.beta.mian\n`;
    const [q] = f.service.codeActions(doc(f.paths.observer, observer), EVERYWHERE);
    assert.equal(apply(observer, q.edits!), observer.replace('step.beta.mian', 'step.beta.main'));
  });

  test('a misspelt bare step name in a list of bare names stays bare, and keeps its hardlink *', () => {
    const text = `${GENERAL}\n[step_main]\n[step_other]\n_step_module = builtin:copy\ndest_dirs = main, mian\n[switch_rules:fnmatch:x]\n*.txt = main, mian*\n`;
    const actions = f.service.codeActions(doc(f.paths.alpha, text), EVERYWHERE);
    assert.deepEqual(actions.map((a) => a.title), ["Change 'mian' to 'main'", "Change 'mian*' to 'main*'"]);
    const fixed = apply(text, actions.flatMap((a) => a.edits!));
    assert.equal(fixed, text.replace('main, mian\n', 'main, main\n').replace('main, mian*', 'main, main*'));
    assert.deepEqual(f.service.diagnostics(doc(f.paths.alpha, fixed)), []);
  });

  test('a bare name whose closest step is in another plugin: every item of the list is qualified', () => {
    const g = languageFixture();
    try {
      fs.mkdirSync(path.join(g.workspace, 'plugins', 'alpha2'));
      fs.writeFileSync(path.join(g.workspace, 'plugins', 'alpha2', 'config.ini'), `${GENERAL}\n[step_extract]\n_step_module = builtin:delete\n`);
      const text = `${GENERAL}\n[step_main]\n[switch_rules:fnmatch:x]\n*.txt =  main ,extract* \n`;
      const [action] = g.service.codeActions(doc(g.paths.alpha, text), EVERYWHERE);
      assert.equal(action.title, "Change 'extract*' to 'alpha2/extract*' (and write the other items as alpha/<step>)");
      const fixed = apply(text, action.edits!);
      assert.equal(fixed, `${GENERAL}\n[step_main]\n[switch_rules:fnmatch:x]\n*.txt =  alpha/main ,alpha2/extract* \n`);
      assert.deepEqual(g.service.diagnostics(doc(g.paths.alpha, fixed)), []);
    } finally {
      g.cleanup();
    }
  });

  test('a qualified target keeps its hardlink *', () => {
    const text = `${GENERAL}\n[step_main]\n[switch_rules:fnmatch:x]\n*.txt = alpha/main, beta/mian*\n`;
    const [action] = f.service.codeActions(doc(f.paths.alpha, text), EVERYWHERE);
    assert.equal(apply(text, action.edits!), text.replace('beta/mian*', 'beta/main*'));
  });

  test('a missing mandatory key is added at the end of its section, with the document\'s line ends', () => {
    const text = '[general]\r\n_version = 1.0.0\r\n_summary = s\r\n_license = MIT\r\n_url = u\r\n_vendor = v\r\n\r\n[step_main]\r\n';
    const actions = f.service.codeActions(doc(f.paths.alpha, text), EVERYWHERE);
    assert.deepEqual(actions.map((a) => a.title), ["Add '_maintainer = Your Name <you@example.org>' to [general]"]);
    assert.equal(r(actions[0].edits![0].range), '5:11-5:11');
    assert.equal(apply(text.replace(/\r\n/g, '\n'), actions[0].edits!.map((e) => ({ ...e, newText: e.newText.replace(/\r\n/g, '\n') }))),
      '[general]\n_version = 1.0.0\n_summary = s\n_license = MIT\n_url = u\n_vendor = v\n_maintainer = Your Name <you@example.org>\n\n[step_main]\n');
    assert.equal(actions[0].edits![0].newText, '\r\n_maintainer = Your Name <you@example.org>');
  });

  test('an added key is never empty: a target names a step that exists, a queue a step queue; the result has no error', () => {
    const text = `${GENERAL}\n[step_main]\n[step_copy]\n_step_module = builtin:copy\n`;
    const [action] = f.service.codeActions(doc(f.paths.alpha, text), EVERYWHERE);
    assert.equal(action.title, "Add 'dest_dirs = alpha/main' to [step_copy]");
    assert.deepEqual(f.service.diagnostics(doc(f.paths.alpha, apply(text, action.edits!))), []);
    const observer = `[common]\nredis_unix_socket = /x\n[a]\nactive = 1\ndirectory = ${f.dataDir}\n`;
    const [q] = f.service.codeActions(doc(f.paths.observer, observer), EVERYWHERE);
    assert.equal(apply(observer, q.edits!), `${observer}queue = step.alpha.archive\n`);
  });

  test('an observer section without Redis gets the runtime\'s socket', () => {
    const text = `[a]\nactive = 1\ndirectory = ${f.dataDir}\nqueue = step.alpha.main\n`;
    const [action] = f.service.codeActions(doc(f.paths.observer, text), EVERYWHERE);
    assert.equal(apply(text, action.edits!), `[a]\nactive = 1\ndirectory = ${f.dataDir}\nqueue = step.alpha.main\nredis_unix_socket = ${f.home}/var/redis.sock\n`);
  });

  test('a missing directory gets "Create directory" (the host creates it)', () => {
    const dir = `${f.root}/données/nouveau`;
    const [action] = f.service.codeActions(doc(f.paths.observer, `[common]\nredis_unix_socket = /x\n[a]\ndirectory = ${dir}\nqueue = step.alpha.main\n`), EVERYWHERE);
    assert.equal(action.title, `Create directory ${dir}`);
    assert.equal(action.createDirectory, dir);
    assert.equal(action.edits, undefined);
  });

  test('only diagnostics touching the requested range get actions', () => {
    const text = `${GENERAL}\n[step_main]\nnumprocesess = 2\nfailure_policy = mvoe\n`;
    const line9 = f.service.codeActions(doc(f.paths.alpha, text), { start: { line: 9, character: 18 }, end: { line: 9, character: 18 } });
    assert.deepEqual(line9.map((a) => a.title), ["Change 'mvoe' to 'move'"]);
  });
});

describe('outline and go-to-definition', () => {
  test('sections hold their keys, with ranges', () => {
    const symbols = f.service.symbols(doc(f.paths.alpha, `${GENERAL}\n\n[step_main]\nx = 1\n# end\n`));
    assert.deepEqual(symbols.map((s) => `${s.name} ${r(s.range)} ${s.detail}`), ['general 0:0-7:0 6 keys', 'step_main 8:0-10:5 1 key']);
    assert.deepEqual(symbols[1].children.map((k) => `${k.name}=${k.detail} ${r(k.range)} ${r(k.selectionRange)}`), ['x=1 9:0-9:5 9:0-9:1']);
  });

  test('from an observer queue to the [step_<name>] section of the plugin\'s config.ini on disk', () => {
    const loc = f.service.definition(doc(f.paths.observer, '[a]\nqueue = step.beta.main\n'), { line: 1, character: 12 });
    assert.equal(loc?.path, f.paths.beta);
    assert.equal(r(loc!.range), '8:1-8:10');
  });

  test('from a target of the same plugin to its section in the text being edited', () => {
    const text = `${GENERAL}\n[step_main]\nfailure_policy = move\nfailure_policy_move_dest_dir = alpha/errors\n[step_errors]\n`;
    const loc = f.service.definition(doc(f.paths.alpha, text), { line: 9, character: 35 });
    assert.equal(loc?.path, f.paths.alpha);
    assert.equal(r(loc!.range), '10:1-10:12');
  });

  test('no definition for a step no plugin declares', () => {
    assert.equal(f.service.definition(doc(f.paths.observer, '[a]\nqueue = step.nope.main\n'), { line: 1, character: 12 }), undefined);
  });
});

describe('live figures read for hovers', () => {
  const running = { home: '/h', pid: 1, version: '0', startedAt: 0, state: 'running', watchers: [] } as unknown as FiguresSource['status'];
  const source = (status: FiguresSource['status'], read: () => Promise<void>): FiguresSource => ({
    status,
    queues: {
      lengths: async (names) => (await read(), new Map(names.map((n) => [n, 3]))),
      counters: async () => (await read(), new Map([['p.s', { processed: 41, failed: 2 }]])),
    } as FiguresSource['queues'],
  });
  const answers = async () => undefined;

  test('say why there are none: setting off, runtime not running, Redis too slow, Redis failing', async () => {
    assert.equal(await new MonitorLiveFigures(source(running, answers), () => false).stepFigures('p', 's'), 'off');
    assert.equal(await new MonitorLiveFigures(source(undefined, answers), () => true).stepFigures('p', 's'), 'not running');
    assert.equal(await new MonitorLiveFigures(source(running, () => new Promise<void>(() => undefined)), () => true, 20).stepFigures('p', 's'), 'timed out');
    assert.equal(await new MonitorLiveFigures(source(running, () => Promise.reject(new Error('ECONNREFUSED'))), () => true).stepFigures('p', 's'), 'unreadable');
    assert.deepEqual(await new MonitorLiveFigures(source(running, answers), () => true).stepFigures('p', 's'), { queued: 3, processed: 41, failed: 2 });
  });
});
