// The journey view's rows and final sentence, its HTML (escaped, script-free), the Plugins view's trash nodes,
// and which log records offer a journey.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Journey, TrashEntry } from '../../src/flow/contract';
import { journeyHtml } from '../../src/flow/journeyHtml';
import { journeyKeyOfRecord, journeyQuery, journeyView, queuedIn } from '../../src/flow/journeyModel';
import type { PluginConfig, StepConfig } from '../../runtime/config/model';
import { EntryDecoder, type LogEntry } from '../../runtime/log/entry';
import { LogStore } from '../../src/logs/logStore';
import { journeyKey, reinjectSteps, replayTargets, withTrash } from '../../src/flow/trashModel';
import type { NodeModel } from '../../src/views/model';

const t0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const journey: Journey = {
  uid: 'a'.repeat(32),
  originalName: 'report<1>.txt',
  steps: [
    { plugin: 'normalize', step: 'archive', attempt: 0, enteredAt: t0 + 300, leftAt: t0 + 1300, outcome: 'done', tagsSet: {} },
    { plugin: 'normalize', step: 'main', attempt: 0, enteredAt: t0, leftAt: t0 + 250, outcome: 'moved', to: 'normalize/archive', tagsSet: { '0.normalize.main.lines': '2', '0.normalize.main.enter_step': '2026-11-28T10:00:00:000000' } },
  ],
  final: { outcome: 'done', where: 'normalize/archive' },
};

test('a journey lists its visits in time order with durations, tags sorted and a timeline scale', () => {
  const v = journeyView(journey);
  assert.deepEqual(v.rows.map((r) => `${r.plugin}/${r.step}`), ['normalize/main', 'normalize/archive']);
  assert.deepEqual(v.rows.map((r) => r.duration), ['250 ms', '1.0 s']);
  assert.deepEqual(v.rows[0].tags.map(([k]) => k), ['0.normalize.main.enter_step', '0.normalize.main.lines']);
  assert.equal(v.rows[0].to, 'normalize/archive');
  assert.equal(v.rows[0].start, 0);
  assert.ok(Math.abs(v.rows[1].start - 300 / 1300) < 1e-9);
  assert.ok(Math.abs(v.rows[1].start + v.rows[1].length - 1) < 1e-9, 'the last visit ends at the end of the scale');
  assert.equal(v.final, 'done in normalize/archive after 2 step visits in 1.3 s');
  assert.equal(v.total, '1.3 s');
});

test('a failed visit is flagged, an unfinished one measured up to now, and the trash is the final place', () => {
  const failed: Journey = {
    uid: 'b'.repeat(32),
    originalName: 'binary.bin',
    steps: [
      { plugin: 'normalize', step: 'main', attempt: 0, enteredAt: t0, leftAt: t0 + 40, outcome: 'failed → keep', to: '>trash/keep', tagsSet: {}, reason: 'returned false' },
      { plugin: 'normalize', step: 'main', attempt: 1, enteredAt: t0 + 5000, leftAt: null, outcome: 'in-progress', tagsSet: {} },
    ],
    final: { outcome: 'trash', where: 'normalize/main' },
  };
  const v = journeyView(failed, t0 + 7000);
  assert.deepEqual(v.rows.map((r) => r.failed), [true, false]);
  assert.deepEqual(v.rows.map((r) => r.attempt), [1, 2], 'attempts count from 1 on screen');
  assert.equal(v.rows[0].outcome, 'failed → keep (returned false)');
  assert.equal(v.rows[1].duration, '2.0 s, still there');
  assert.equal(v.rows[1].left, undefined);
  assert.equal(v.final, 'in the trash (normalize/main) after 2 step visits in 7.0 s');
});

test('a replay from the trash is shown on the timeline, neither as a failure nor as a step visit', () => {
  const replayed: Journey = {
    uid: 'c'.repeat(32),
    originalName: 'bad.txt',
    steps: [
      { plugin: 'p', step: 'check', attempt: 0, enteredAt: t0, leftAt: t0 + 10, outcome: 'failed → keep', to: '>trash/keep', tagsSet: {} },
      { plugin: 'p', step: 'store', attempt: 0, enteredAt: t0 + 500, leftAt: t0 + 500, outcome: 'replayed from the trash of p/check', kind: 'replay', tagsSet: {} },
      { plugin: 'p', step: 'store', attempt: 0, enteredAt: t0 + 510, leftAt: t0 + 520, outcome: 'done', tagsSet: {} },
    ],
    final: { outcome: 'done', where: 'p/store' },
  };
  const v = journeyView(replayed);
  assert.deepEqual(v.rows.map((r) => [r.replay, r.failed]), [[false, true], [true, false], [false, false]]);
  assert.equal(v.final, 'done in p/store after 2 step visits in 520 ms');
});

test('the journey HTML escapes what files and tags say and carries no script', () => {
  const html = journeyHtml([journeyView(journey)], journey.originalName, { cspSource: 'vscode-resource:', styleUri: 'vscode-resource:/media/journey.css' });
  assert.match(html, /report&lt;1&gt;\.txt/);
  assert.doesNotMatch(html, /report<1>/);
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src vscode-resource:/);
  assert.match(html, /0\.normalize\.main\.lines<\/dt><dd>2<\/dd>/);
  assert.equal((html.match(/<rect class="bar /g) ?? []).length, 2, 'one bar per visit');
  const none = journeyHtml([], 'nothing"here', { cspSource: 'x', styleUri: 'y' });
  assert.match(none, /No journey recorded for <code>nothing&quot;here<\/code>/);
  assert.doesNotMatch(none, /not recorded or not kept/);
  const gaps = journeyHtml([], 'x', { cspSource: 'x', styleUri: 'y' }, ['2026-11-28 07:00:00 UTC: journeys paused by p/s#1 <at 51 %>']);
  assert.match(gaps, /not recorded or not kept at these times/);
  assert.match(gaps, /<li>2026-11-28 07:00:00 UTC: journeys paused by p\/s#1 &lt;at 51 %&gt;<\/li>/);
});

test('Show Journey on a queued message with no journey says it is queued and not claimed yet', () => {
  const message: NodeModel = { id: 'message:step.p.s:0', kind: 'message', label: 'a<1>.txt', contextValue: 'message', collapsible: 'none', queue: 'step.p.s' };
  assert.equal(queuedIn(message), 'step.p.s');
  assert.equal(queuedIn('a.txt'), undefined);
  const html = journeyHtml([], journeyQuery(message)!, { cspSource: 'x', styleUri: 'y' }, [], queuedIn(message));
  assert.match(html, /<code>a&lt;1&gt;\.txt<\/code> is queued in <code>step\.p\.s<\/code> and not claimed yet/);
  assert.doesNotMatch(html, /No journey recorded/);
});

function stepNode(plugin: string, step: string): NodeModel {
  return { id: `step:${plugin}.${step}`, kind: 'step', label: step, contextValue: 'step watcher running', collapsible: 'none', plugin, step };
}
const plugins: NodeModel[] = [
  { id: 'plugin:normalize', kind: 'plugin', label: 'normalize', contextValue: 'plugin', collapsible: 'expanded', plugin: 'normalize', children: [stepNode('normalize', 'archive'), stepNode('normalize', 'main')] },
  { id: 'plugin:switch', kind: 'plugin', label: 'switch', contextValue: 'plugin', collapsible: 'expanded', plugin: 'switch', children: [stepNode('switch', 'main')] },
];
function entry(plugin: string, step: string, name: string, mtime: number, tags: Record<string, string> = {}): TrashEntry {
  return { plugin, step, name, path: `/h/var/in/trash/${plugin}.${step}/${name}`, size: 3, mtime, tags };
}

test('a step with files in its trash gets a "Trash (n)" child listing them newest first, with their tags', () => {
  const nodes = withTrash(plugins, [
    entry('normalize', 'main', 'old.bin', t0, { 'first.core.original_uid': 'c'.repeat(32), 'first.core.original_basename': 'old.bin' }),
    entry('normalize', 'main', 'new.bin', t0 + 1000),
  ]);
  const main = nodes[0].children!.find((s) => s.step === 'main')!;
  assert.equal(main.collapsible, 'collapsed');
  const trash = main.children![0];
  assert.equal(trash.label, 'Trash (2)');
  assert.equal(trash.contextValue, 'trash');
  assert.deepEqual(trash.children!.map((f) => f.label), ['new.bin', 'old.bin']);
  const old = trash.children![1];
  assert.equal(old.contextValue, 'trashFile');
  assert.equal(old.file, '/h/var/in/trash/normalize.main/old.bin');
  assert.match(old.tooltip ?? '', /first\.core\.original_basename = old\.bin/);
  assert.deepEqual(old.children!.map((c) => [c.label, c.description]), [['first.core.original_basename', 'old.bin'], ['first.core.original_uid', 'c'.repeat(32)]]);
  assert.equal(trash.children![0].collapsible, 'none', 'a file without tags has no children');
  // Steps without trash and the input are unchanged.
  assert.equal(nodes[0].children!.find((s) => s.step === 'archive'), plugins[0].children![0]);
  assert.equal(plugins[0].children![1].children, undefined);
});

test('trash of something that is not a listed step (a switch nomatch) hangs under its plugin; unknown plugins are left out', () => {
  const nodes = withTrash(plugins, [entry('switch', 'nomatch', 'x.dat', t0), entry('ghost', 'main', 'y.dat', t0)]);
  const sw = nodes[1].children!;
  assert.deepEqual(sw.map((c) => c.label), ['main', 'Trash (1)']);
  assert.equal(sw[1].id, 'trash:switch.nomatch');
  assert.equal(JSON.stringify(nodes).includes('ghost'), false);
});

test('a trash file\'s journey is looked up by its original uid tag, else its original name, else its name', () => {
  assert.equal(journeyKey({ name: 'n', tags: { 'first.core.original_uid': 'u', 'first.core.original_basename': 'b' } }), 'u');
  assert.equal(journeyKey({ name: 'n', tags: { 'first.core.original_basename': 'b' } }), 'b');
  assert.equal(journeyKey({ name: 'n', tags: {} }), 'n');
});

test('a log record about a file offers its journey: its uid when it has one, else its original name', () => {
  assert.equal(journeyKeyOfRecord({ event: 'x', original_uid: 'ab'.repeat(16), original_basename: 'a.txt' }), 'ab'.repeat(16));
  assert.equal(journeyKeyOfRecord({ event: 'x', uid: 'not-a-file-uid', original_basename: 'a.txt' }), 'a.txt');
  assert.equal(journeyKeyOfRecord({ event: 'rescan' }), undefined);
  assert.equal(journeyKeyOfRecord(undefined), undefined);
  // Through the log panel's store, as the webview receives rows.
  const d = new EntryDecoder('/h/log/step_p_s.log');
  const store = new LogStore();
  store.append([
    d.decode('{"timestamp":"2026-11-27T20:00:01.000001Z","level":"warning","name":"mfdata.p.s","pid":5,"event":"failure policy applied","plugin":"p","step":"s","original_basename":"bad-1.txt"}') as LogEntry,
    d.decode('{"timestamp":"2026-11-27T20:00:02.000001Z","level":"info","name":"mfdata.p.s","pid":5,"event":"started","plugin":"p","step":"s"}') as LogEntry,
  ]);
  assert.deepEqual(store.rows(0, 2).map((r) => r.journey), ['bad-1.txt', undefined]);
});

test('Replay into Step… offers the step the file failed in first, then the others sorted', () => {
  const steps = [{ plugin: 'b', step: 'main' }, { plugin: 'normalize', step: 'main' }, { plugin: 'a', step: 'x' }];
  assert.deepEqual(replayTargets({ plugin: 'normalize', step: 'main' }, steps).map((s) => `${s.plugin}/${s.step}`), ['normalize/main', 'a/x', 'b/main']);
  assert.deepEqual(replayTargets({ plugin: 'switch', step: 'nomatch' }, steps).map((s) => `${s.plugin}/${s.step}`), ['a/x', 'b/main', 'normalize/main']);
});

test('Replay into Step… leaves out the internal retry steps (builtin:reinject) of the generated configuration', () => {
  const step = (name: string, stepModule: string): StepConfig => ({ name, stepModule } as StepConfig);
  const plugins = [{ name: 'fail_demo', steps: [step('main', 'main.ts'), step('main_reinject', 'builtin:reinject')] } as PluginConfig];
  const running = [{ plugin: 'fail_demo', step: 'main' }, { plugin: 'fail_demo', step: 'main_reinject' }, { plugin: 'b', step: 'main' }];
  assert.deepEqual(replayTargets({ plugin: 'fail_demo', step: 'main' }, running, reinjectSteps(plugins)).map((s) => `${s.plugin}/${s.step}`), ['fail_demo/main', 'b/main']);
});

test('Show Journey takes a uid or name, a queued message, a trash file (by its uid tag) or { uid } / { name }', () => {
  const tags = (file: string): Record<string, string> | undefined => (file === '/t/x.bin' ? { 'first.core.original_uid': 'f'.repeat(32) } : undefined);
  assert.equal(journeyQuery('  report.txt ', tags), 'report.txt');
  assert.equal(journeyQuery('', tags), undefined);
  assert.equal(journeyQuery({ id: 'message:q:0', kind: 'message', label: 'a.txt', contextValue: 'message', collapsible: 'none' }, tags), 'a.txt');
  assert.equal(journeyQuery({ id: 'trashFile:/t/x.bin', kind: 'trashFile', label: 'x.bin', contextValue: 'trashFile', collapsible: 'none', file: '/t/x.bin' }, tags), 'f'.repeat(32));
  assert.equal(journeyQuery({ id: 'trashFile:/t/y.bin', kind: 'trashFile', label: 'y.bin', contextValue: 'trashFile', collapsible: 'none', file: '/t/y.bin' }, tags), 'y.bin');
  assert.equal(journeyQuery({ id: 'step:p.s', kind: 'step', label: 's', contextValue: 'step', collapsible: 'none' }, tags), undefined);
  assert.equal(journeyQuery({ uid: 'u1', name: 'n' }), 'u1');
  assert.equal(journeyQuery({ name: 'n' }), 'n');
});
