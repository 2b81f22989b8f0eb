// The views' content built from a runtime snapshot: grouping, figures, and ids that never depend on figures.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { RuntimeStatus, WatcherStatus } from '../../runtime/supervisor/protocol';
import { emptySnapshot, pluginNodes, processNodes, queueNodes } from '../../src/views/model';
import { extensionState, indicatorState } from '../../src/services/runtimeState';
import { indicatorText } from '../../src/views/statusText';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
function watcher(name: string, extra: Partial<WatcherStatus> = {}): WatcherStatus {
  return { name, kind: 'step', state: 'running', numprocesses: 1, processes: [{ pid: 100, wid: 1, startedAt: now - 90_000 }], restarts: 0, ...extra };
}
function status(watchers: WatcherStatus[]): RuntimeStatus {
  return { home: '/h', pid: 1, version: '0.1.0', startedAt: now, state: 'running', watchers };
}

test('the Plugins view groups step watchers by plugin with workers, queue length and counters', () => {
  const snap = emptySnapshot(status([
    watcher('redis', { kind: 'redis' }),
    watcher('step.b.main', { plugin: 'b', step: 'main' }),
    watcher('step.a.zip', { plugin: 'a', step: 'zip', numprocesses: 2 }),
    watcher('step.a.main', { plugin: 'a', step: 'main', state: 'failed', processes: [] }),
  ]));
  snap.queueLengths.set('step.a.zip', 4);
  snap.counters.set('a.zip', { processed: 12, failed: 1 });
  const nodes = pluginNodes(snap);
  assert.deepEqual(nodes.map((n) => n.label), ['a', 'b']);
  assert.deepEqual(nodes[0].children?.map((n) => n.label), ['main', 'zip']);
  assert.equal(nodes[0].children?.[1].description, '12 processed · 1 failed · queue 4 · 1/2 workers');
  assert.match(nodes[0].description ?? '', /1 failing/);
  assert.match(nodes[0].children?.[0].contextValue ?? '', /\bstep\b.*\bfailed\b/);
});

test('ids and labels stay the same when only figures change, so selection survives a refresh', () => {
  const a = emptySnapshot(status([watcher('step.a.main', { plugin: 'a', step: 'main' })]));
  const b = emptySnapshot(status([watcher('step.a.main', { plugin: 'a', step: 'main', state: 'backoff', restarts: 3 })]));
  b.queueLengths.set('step.a.main', 99);
  const ids = (s: typeof a): string[] => pluginNodes(s).flatMap((p) => [p.id, p.label, ...(p.children ?? []).flatMap((c) => [c.id, c.label])]);
  assert.deepEqual(ids(a), ids(b));
  assert.deepEqual(processNodes(a).map((n) => n.id), processNodes(b).map((n) => n.id));
});

test('the Processes view shows each watcher with pids, uptime, restarts and last exit, workers as children', () => {
  const snap = { ...emptySnapshot(status([watcher('directory_observer', { kind: 'directory_observer', restarts: 2, lastExit: { code: 1, signal: null, at: now } })])), takenAt: now };
  const [node] = processNodes(snap);
  assert.equal(node.description, 'running · 1/1 · pid 100 · up 1m · 2 restarts · last exit 1');
  assert.deepEqual(node.children?.map((c) => [c.label, c.description]), [['worker 1', 'pid 100 · up 1m']]);
});

test('a worker not up yet (loading its step, or respawned) shows its watcher and step as starting', () => {
  const processes = [{ pid: 100, wid: 1, startedAt: now - 90_000, ready: true }, { pid: 101, wid: 2, startedAt: now - 50, ready: false }];
  const snap = { ...emptySnapshot(status([watcher('step.a.main', { plugin: 'a', step: 'main', numprocesses: 2, processes })])), takenAt: now };
  const [node] = processNodes(snap);
  assert.match(node.description ?? '', /^starting · 2\/2 · pid 100,101/);
  assert.equal(node.icon, 'loading~spin');
  assert.match(node.contextValue ?? '', /\brunning\b/, 'actions stay those of a running watcher');
  assert.deepEqual(node.children?.map((c) => c.description), ['pid 100 · up 1m', 'pid 101 · starting']);
  assert.match(pluginNodes(snap)[0].children?.[0].description ?? '', /^starting · 0 processed · 0 failed · queue 0 · 2\/2 workers/);
  processes[1].ready = true;
  assert.match(processNodes(snap)[0].description ?? '', /^running · 2\/2/);
});

test('the Queues view lists queues with lengths; only non-empty ones expand', () => {
  const snap = emptySnapshot();
  snap.queues = [{ name: 'step.a.main', length: 0 }, { name: 'step.a.zip', length: 1 }];
  assert.deepEqual(queueNodes(snap).map((n) => [n.label, n.description, n.collapsible]), [['step.a.main', '0 messages', 'none'], ['step.a.zip', '1 message', 'collapsed']]);
});

test('the welcome state: untrusted first, then running/starting, then missing plugins or redis', () => {
  const base = { trusted: true, hasPlugins: true, redisFound: true, starting: false };
  assert.equal(extensionState({ ...base, trusted: false, status: status([]) }), 'untrusted');
  assert.equal(extensionState({ ...base, status: status([]) }), 'running');
  assert.equal(extensionState({ ...base, starting: true }), 'starting');
  assert.equal(extensionState({ ...base, hasPlugins: false }), 'noPlugins');
  assert.equal(extensionState({ ...base, redisFound: false }), 'redisNotFound');
  assert.equal(extensionState(base), 'notRunning');
});

test('the status bar reads degraded with the failed watchers as soon as one fails', () => {
  assert.deepEqual(indicatorState({ starting: false }), { kind: 'stopped' });
  assert.deepEqual(indicatorState({ starting: false, status: status([watcher('step.a.main', { state: 'failed' }), watcher('redis')]) }), { kind: 'degraded', failed: ['step.a.main'] });
  assert.deepEqual(indicatorState({ starting: false, status: status([watcher('redis')]) }), { kind: 'running', watchers: 1 });
});

test('a refused configuration change while running is shown: running with its previous setup, a warning status bar item', () => {
  const refused = { ...status([watcher('redis')]), configError: 'plugins/p/config.ini:3:1: error: unknown key' };
  const state = indicatorState({ starting: false, status: refused });
  assert.deepEqual(state, { kind: 'running', watchers: 1, configError: refused.configError });
  const shown = indicatorText(state);
  assert.equal(shown.warn, true);
  assert.match(shown.text, /running, config not applied/);
  assert.match(shown.tooltip, /plugins\/p\/config\.ini:3:1: error: unknown key/);
});
