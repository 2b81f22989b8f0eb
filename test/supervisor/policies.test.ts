// Pure policies of the supervisor: backoff, flapping window, max_age jitter, start/stop order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextAttempt, respawnDelayMs, STABLE_AFTER_MS } from '../../runtime/supervisor/backoff';
import { recordExit } from '../../runtime/supervisor/flapping';
import { lifetimeMs } from '../../runtime/supervisor/max-age';
import { startGroups, stopGroups } from '../../runtime/supervisor/order';

test('respawn delays double from the initial delay and stop at the cap', () => {
  const policy = { initialSeconds: 0.1, maxSeconds: 1 };
  assert.deepEqual([0, 1, 2, 3, 4, 5, 40].map((a) => respawnDelayMs(a, policy)), [100, 200, 400, 800, 1000, 1000, 1000]);
});

test('a process that lived long enough resets the backoff; a quick exit increases it', () => {
  assert.equal(nextAttempt(4, STABLE_AFTER_MS), 0);
  assert.equal(nextAttempt(4, 50), 5);
});

test('flapping: N exits inside the window mark the watcher failed, older exits are forgotten', () => {
  const policy = { exits: 3, windowSeconds: 10 };
  let v = recordExit([], 1_000, policy);
  assert.equal(v.flapping, false);
  v = recordExit(v.history, 2_000, policy);
  assert.equal(v.flapping, false);
  // The first exit is out of the window by now.
  v = recordExit(v.history, 11_500, policy);
  assert.deepEqual(v.history, [2_000, 11_500]);
  assert.equal(v.flapping, false);
  v = recordExit(v.history, 11_900, policy);
  assert.equal(v.flapping, true);
});

test('max_age: no limit at 0, otherwise max_age plus a random share of the variance', () => {
  assert.equal(lifetimeMs(0, 30), undefined);
  assert.equal(lifetimeMs(60, 0, () => 0.9), 60_000);
  assert.equal(lifetimeMs(60, 30, () => 0), 60_000);
  assert.equal(lifetimeMs(60, 30, () => 0.5), 75_000);
});

test('watchers start by ascending priority (redis first) and stop in the reverse order (redis last)', () => {
  const specs = [
    { name: 'step.b.main', priority: 50 },
    { name: 'redis', priority: 0 },
    { name: 'conf_monitor', priority: 90 },
    { name: 'step.a.main', priority: 50 },
    { name: 'directory_observer', priority: 80 },
  ];
  assert.deepEqual(startGroups(specs).map((g) => g.map((s) => s.name)), [
    ['redis'], ['step.a.main', 'step.b.main'], ['directory_observer'], ['conf_monitor'],
  ]);
  assert.deepEqual(stopGroups(specs).map((g) => g.map((s) => s.name)), [
    ['conf_monitor'], ['directory_observer'], ['step.a.main', 'step.b.main'], ['redis'],
  ]);
});
