// A watcher keeps real processes alive: respawn, flapping, graceful stop, max_age, hooks, scaling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Watcher, type WatcherContext } from '../../runtime/supervisor/watcher';
import type { RuntimeEvent } from '../../runtime/supervisor/protocol';
import type { WatcherSpec } from '../../runtime/supervisor/watcher-spec';
import { alive, makeTempHome, nodeWatcher, sleep, waitFor, type TempHome } from './helpers';

interface Harness {
  home: TempHome;
  events: RuntimeEvent[];
  logs: { level: string; event: string; fields?: Record<string, unknown> }[];
  watcher(spec: WatcherSpec): Watcher;
  done(): Promise<void>;
}

function harness(): Harness {
  const home = makeTempHome();
  const events: RuntimeEvent[] = [];
  const logs: Harness['logs'] = [];
  const watchers: Watcher[] = [];
  const ctx: WatcherContext = {
    env: process.env,
    emit: (e) => events.push(e),
    log: (level, event, fields) => logs.push({ level, event, fields }),
  };
  return {
    home, events, logs,
    watcher(spec) {
      const w = new Watcher(spec, ctx);
      watchers.push(w);
      return w;
    },
    async done() {
      const pids = events.flatMap((e) => (e.event === 'process_spawn' ? [e.pid] : []));
      await Promise.all(watchers.map((w) => w.stop()));
      watchers.forEach((w) => w.dispose());
      home.cleanup();
      assert.deepEqual(pids.filter(alive), [], 'every process ever spawned is gone');
    },
  };
}

test('a worker killed with SIGKILL is respawned with a new pid and the same wid, restarts+1', async () => {
  const h = harness();
  try {
    const w = h.watcher(nodeWatcher(h.home, 'step.p.s', 'sleeper.js', { numprocesses: 2 }));
    await w.start();
    assert.equal(w.state, 'running');
    const before = w.status().processes;
    assert.deepEqual(before.map((p) => p.wid), [1, 2]);
    process.kill(before[1].pid, 'SIGKILL');
    const after = await waitFor('respawn', () => {
      const p = w.status().processes;
      return p.length === 2 && p[1].pid !== before[1].pid ? p : undefined;
    });
    assert.equal(after[0].pid, before[0].pid, 'the other worker is untouched');
    assert.equal(after[1].wid, 2);
    assert.equal(w.status().restarts, 1);
    assert.equal(w.status().lastExit?.signal, 'SIGKILL');
    assert.equal(w.state, 'running');
  } finally {
    await h.done();
  }
});

test('a command that exits at once is marked failed after the flapping limit, with its last stderr line', async () => {
  const h = harness();
  try {
    const good = h.watcher(nodeWatcher(h.home, 'step.p.good', 'sleeper.js'));
    const bad = h.watcher(nodeWatcher(h.home, 'step.p.bad', 'crasher.js', { flapping: { exits: 3, windowSeconds: 30 } }));
    await good.start();
    const goodPid = good.status().processes[0].pid;
    await bad.start();
    await waitFor('failed state', () => bad.state === 'failed');
    const status = bad.status();
    assert.equal(status.lastError, 'crasher: cannot open queue step.p.s');
    assert.equal(status.lastExit?.code, 3);
    assert.equal(status.processes.length, 0);
    const flapping = h.events.find((e) => e.event === 'flapping');
    assert.deepEqual(flapping && { w: flapping.watcher, exits: flapping.exits, error: flapping.error },
      { w: 'step.p.bad', exits: 3, error: 'crasher: cannot open queue step.p.s' });
    // No more respawns once failed.
    const spawns = h.events.filter((e) => e.event === 'process_spawn' && e.watcher === 'step.p.bad').length;
    await sleep(300);
    assert.equal(h.events.filter((e) => e.event === 'process_spawn' && e.watcher === 'step.p.bad').length, spawns);
    assert.equal(good.state, 'running');
    assert.equal(good.status().processes[0].pid, goodPid, 'the other watcher keeps running');
    // The output of every process is in the watcher's log file.
    assert.match(fs.readFileSync(path.join(h.home.root, 'log', 'step.p.bad.log'), 'utf8'), /crasher: cannot open queue/);
  } finally {
    await h.done();
  }
});

test('start on a failed watcher clears the failure and tries again', async () => {
  const h = harness();
  try {
    const w = h.watcher(nodeWatcher(h.home, 'step.p.bad', 'crasher.js', { flapping: { exits: 2, windowSeconds: 30 } }));
    await w.start();
    await waitFor('failed', () => w.state === 'failed');
    const spawns = h.events.filter((e) => e.event === 'process_spawn').length;
    await w.start();
    assert.notEqual(w.state, 'failed');
    await waitFor('failed again', () => w.state === 'failed');
    assert.ok(h.events.filter((e) => e.event === 'process_spawn').length > spawns);
  } finally {
    await h.done();
  }
});

test('graceful_timeout: a process ignoring SIGTERM is SIGKILLed after the timeout', async () => {
  const h = harness();
  try {
    const w = h.watcher(nodeWatcher(h.home, 'extra.p.stubborn', 'stubborn.js', { gracefulTimeout: 0.5 }));
    await w.start();
    const pid = w.status().processes[0].pid;
    await waitFor('stubborn up', () => fs.existsSync(path.join(h.home.root, 'log', 'extra.p.stubborn.log')) &&
      fs.readFileSync(path.join(h.home.root, 'log', 'extra.p.stubborn.log'), 'utf8').includes('stubborn up'));
    await w.stop();
    assert.equal(alive(pid), false);
    const exit = h.events.find((e) => e.event === 'process_exit' && e.pid === pid);
    assert.equal(exit?.event === 'process_exit' && exit.signal, 'SIGKILL');
    assert.match(fs.readFileSync(path.join(h.home.root, 'log', 'extra.p.stubborn.log'), 'utf8'), /ignoring SIGTERM/);
    assert.equal(w.state, 'stopped');
    assert.equal(w.status().restarts, 0, 'a requested stop is not a restart');
  } finally {
    await h.done();
  }
});

test('max_age: the replacement starts before the old process is stopped, wid kept', async () => {
  const h = harness();
  try {
    const w = h.watcher(nodeWatcher(h.home, 'step.p.aging', 'sleeper.js', { maxAge: 0.4, maxAgeVariance: 0.2 }));
    await w.start();
    const first = w.status().processes[0];
    await waitFor('recycle', () => h.events.some((e) => e.event === 'process_exit' && e.pid === first.pid));
    const spawnIndex = h.events.findIndex((e) => e.event === 'process_spawn' && e.pid !== first.pid);
    const exitIndex = h.events.findIndex((e) => e.event === 'process_exit' && e.pid === first.pid);
    assert.ok(spawnIndex >= 0 && spawnIndex < exitIndex, 'replacement spawned before the old one exited');
    const now = w.status().processes;
    assert.equal(now.length, 1);
    assert.equal(now[0].wid, 1);
    assert.equal(w.state, 'running');
    assert.equal(w.status().restarts, 0);
  } finally {
    await h.done();
  }
});

test('hooks: before_start exit 200 skips the start silently; after_stop runs after the processes are gone', async () => {
  const h = harness();
  try {
    const trace = path.join(h.home.root, 'hooks.txt');
    const hook = (tag: string, code: number): string[] => [process.execPath, h.home.script('hook.js'), tag, trace, String(code)];
    const skipped = h.watcher(nodeWatcher(h.home, 'extra.p.skipped', 'sleeper.js', { hooks: { beforeStart: hook('skip', 200) } }));
    await skipped.start();
    assert.equal(skipped.state, 'stopped');
    assert.equal(h.logs.filter((l) => l.level === 'warning').length, 0);

    const hooked = h.watcher(nodeWatcher(h.home, 'extra.p.hooked', 'sleeper.js', { hooks: { beforeStart: hook('before', 1), afterStop: hook('after', 0) } }));
    await hooked.start();
    assert.equal(hooked.state, 'running', 'a failing before_start is a warning, the watcher still starts');
    assert.ok(h.logs.some((l) => l.level === 'warning' && /exit code 1/.test(l.event)));
    await hooked.stop();
    assert.deepEqual(fs.readFileSync(trace, 'utf8').trim().split('\n'), ['skip', 'before', 'after']);
  } finally {
    await h.done();
  }
});

test('numprocesses 1 -> 3 -> 1 adds and removes workers without touching wid 1', async () => {
  const h = harness();
  try {
    const w = h.watcher(nodeWatcher(h.home, 'step.p.s', 'sleeper.js'));
    await w.start();
    const first = w.status().processes[0].pid;
    await w.setNumprocesses(3);
    assert.deepEqual(w.status().processes.map((p) => p.wid), [1, 2, 3]);
    assert.equal(w.status().processes[0].pid, first);
    const removed = w.status().processes.slice(1).map((p) => p.pid);
    await w.setNumprocesses(1);
    assert.deepEqual(w.status().processes.map((p) => p.pid), [first]);
    assert.deepEqual(removed.filter(alive), []);
    assert.equal(w.status().numprocesses, 1);
  } finally {
    await h.done();
  }
});

test('a command that does not exist fails at once with a message naming it', async () => {
  const h = harness();
  try {
    const w = h.watcher(nodeWatcher(h.home, 'redis', 'sleeper.js', { kind: 'redis', command: 'no-such-redis-server-here', args: [] }));
    await w.start();
    assert.equal(w.state, 'failed');
    assert.match(w.status().lastError ?? '', /^redis-server not found: install it \(Debian\/Ubuntu: apt-get install redis-server; macOS: brew install redis\) or set redis.path/);
  } finally {
    await h.done();
  }
});

test('hand_over stops the processes without respawn; take_back starts them again', async () => {
  const h = harness();
  try {
    const w = h.watcher(nodeWatcher(h.home, 'step.p.s', 'sleeper.js', { numprocesses: 2 }));
    await w.start();
    const pids = w.status().processes.map((p) => p.pid);
    await w.handOver();
    assert.equal(w.state, 'handed_over');
    assert.deepEqual(pids.filter(alive), []);
    await sleep(200);
    assert.equal(w.status().processes.length, 0);
    await w.takeBack();
    assert.equal(w.state, 'running');
    assert.equal(w.status().processes.length, 2);
  } finally {
    await h.done();
  }
});
