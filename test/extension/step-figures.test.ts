// The Plugins view shows each step's throughput and errors of the last minute (runtime/stats), with
// the detail in the tooltip; without figures the row reads as before, and ids never depend on figures.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { RuntimeStatus, WatcherStatus } from '../../runtime/supervisor/protocol';
import type { StepFigures, StepStats } from '../../src/metrics/stepStats';
import { emptySnapshot, pluginNodes } from '../../src/views/model';
import { formatBytes, formatRate, stepRateDescription } from '../../src/views/stepFigures';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const watcher: WatcherStatus = { name: 'step.a.main', kind: 'step', plugin: 'a', step: 'main', state: 'running', numprocesses: 1, processes: [{ pid: 100, wid: 1, startedAt: now }], restarts: 0 };
const status: RuntimeStatus = { home: '/h', pid: 1, version: '0.1.0', startedAt: now, state: 'running', watchers: [watcher] };

function figures(extra: Partial<StepFigures>): StepFigures {
  return { processed: 0, failed: 0, bytes: 0, meanMs: null, p95Ms: null, filesPerSecond: 0, batches: 0, batchesFailed: 0, batchMeanMs: null, seconds: 60, timedFiles: 0, ...extra };
}
const stats: StepStats = {
  plugin: 'a',
  step: 'main',
  queueLength: 4,
  startedAt: now - 3_600_000,
  lastMinute: figures({ processed: 738, failed: 2, bytes: 1536, meanMs: 12.34, p95Ms: 30.6, filesPerSecond: 12.3 }),
  sinceStart: figures({ processed: 5000, failed: 7, bytes: 3 * 1024 * 1024, meanMs: 8.25, p95Ms: 21, filesPerSecond: 1.5 }),
};

test('rates read as a trickle, a flow or a flood; bytes in binary units', () => {
  assert.deepEqual([0, 0.004, 0.0167, 0.25, 12.34, 250.4].map(formatRate), ['0', '<0.01', '0.02', '0.3', '12.3', '250']);
  assert.deepEqual([0, 1023, 1536, 3 * 1024 * 1024].map(formatBytes), ['0 B', '1023 B', '1.5 KiB', '3 MiB']);
  assert.equal(stepRateDescription({ ...stats, lastMinute: figures({ failed: 1, filesPerSecond: 0.5 }) }), '0.5 files/s · 1 error (1 min)');
});

test('a step row adds files/s and errors of the last minute; its tooltip the last minute, since start and the queue', () => {
  const snap = emptySnapshot(status);
  snap.counters.set('a.main', { processed: 5000, failed: 7 });
  snap.stats = new Map([['a.main', stats]]);
  const step = pluginNodes(snap)[0].children![0];
  assert.equal(step.description, '5000 processed · 7 failed · queue 0 · 1/1 workers · 12.3 files/s · 2 errors (1 min)');
  const tooltip = step.tooltip!.split('\n');
  assert.ok(tooltip.includes('last minute: 738 processed, 2 failed, 1.5 KiB, 12.3 files/s, mean 12 ms, p95 31 ms'), step.tooltip);
  assert.ok(tooltip.includes('since start: 5000 processed, 7 failed, 3 MiB, 1.5 files/s, mean 8.3 ms, p95 21 ms'), step.tooltip);
  assert.ok(tooltip.includes('queue length: 4'), step.tooltip);
});

test('without the runtime figures the row reads as before, and its id and label do not change', () => {
  const plain = emptySnapshot(status);
  const withStats = emptySnapshot(status);
  withStats.stats = new Map([['a.main', stats]]);
  const a = pluginNodes(plain)[0].children![0];
  const b = pluginNodes(withStats)[0].children![0];
  assert.equal(a.description, '0 processed · 0 failed · queue 0 · 1/1 workers');
  assert.deepEqual([a.id, a.label], [b.id, b.label]);
});
