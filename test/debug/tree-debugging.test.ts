// The Plugins view while a step is debugged: the supervisor says handed_over; this window knows it holds the
// debug session, so the step reads "debugging" (and offers no second "Debug Step").
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { RuntimeStatus, WatcherStatus } from '../../runtime/supervisor/protocol';
import { emptySnapshot, pluginNodes } from '../../src/views/model';

function step(name: string, state: WatcherStatus['state']): WatcherStatus {
  return { name: `step.demo.${name}`, kind: 'step', plugin: 'demo', step: name, state, numprocesses: 2, processes: [], restarts: 0 };
}

const status: RuntimeStatus = { home: '/h', pid: 1, version: '0', startedAt: 0, state: 'running', watchers: [step('main', 'handed_over'), step('other', 'handed_over'), step('third', 'running')] };

test('a handed-over step debugged from this window shows "debugging"; one handed over elsewhere shows "handed over"', () => {
  const snap = { ...emptySnapshot(status), debugging: new Set(['step.demo.main']) };
  const [plugin] = pluginNodes(snap);
  const byLabel = new Map((plugin.children ?? []).map((c) => [c.label, c]));
  assert.match(byLabel.get('main')!.description!, /^debugging · 0 processed · 0 failed · queue 0 · 0\/2 workers$/);
  assert.match(byLabel.get('main')!.contextValue, /\bdebugging\b/);
  assert.equal(byLabel.get('main')!.icon, 'debug');
  assert.match(byLabel.get('other')!.description!, /^handed over · /);
  assert.doesNotMatch(byLabel.get('other')!.contextValue, /\bdebugging\b/);
  // Running: no state word (the icon says it), the figures first.
  assert.match(byLabel.get('third')!.description!, /^0 processed · /);
});
