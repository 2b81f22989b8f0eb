// The supervisor as a real process: redis first, status, the control socket, the lock, reload, ordered stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { ControlClient, ControlError, controlRequest } from '../../runtime/supervisor/control-client';
import type { RuntimeEvent, RuntimeStatus } from '../../runtime/supervisor/protocol';
import { requireRedisServer } from '../helpers/redis-server';
import {
  alive, makeTempHome, nodeWatcher, redisWatcher, spawnSupervisor, waitFor, waitForLog, writeWatchers, type RunningSupervisor, type TempHome,
} from './helpers';

const sock = (home: TempHome): string => path.join(home.root, 'var', 'supervisor.sock');

async function upAndRunning(home: TempHome, sup: RunningSupervisor): Promise<RuntimeStatus> {
  return waitFor('supervisor up', async () => {
    if (sup.child.exitCode !== null) throw new Error(`supervisor exited ${sup.child.exitCode}: ${sup.stderr()}`);
    if (!fs.existsSync(sock(home))) return undefined;
    const status = (await controlRequest(sock(home), { cmd: 'status' }).catch(() => undefined)) as RuntimeStatus | undefined;
    return status && status.state !== 'starting' ? status : undefined;
  });
}

/** After a failed assertion: an ordered stop (so no child outlives the test), SIGKILL only as a last resort. */
async function stopped(sup: RunningSupervisor): Promise<void> {
  if (sup.child.exitCode !== null || sup.child.signalCode !== null) return;
  sup.child.kill('SIGTERM');
  const timer = setTimeout(() => sup.child.kill('SIGKILL'), 20_000);
  await sup.exited;
  clearTimeout(timer);
}

function allPids(events: RuntimeEvent[]): number[] {
  return events.flatMap((e) => (e.event === 'process_spawn' ? [e.pid] : []));
}

test('start: redis answers PING before the others start; status shows every watcher running; stop leaves nothing behind', async () => {
  const redisServer = requireRedisServer();
  const home = makeTempHome();
  const redisSock = path.join(home.root, 'var', 'redis.sock');
  writeWatchers(home, [
    redisWatcher(home, redisServer),
    nodeWatcher(home, 'step.p.first', 'needs-redis.js', { args: [home.script('needs-redis.js'), redisSock], numprocesses: 2 }),
    nodeWatcher(home, 'directory_observer', 'sleeper.js', { kind: 'directory_observer', priority: 80 }),
  ]);
  const sup = spawnSupervisor(home);
  try {
    const status = await upAndRunning(home, sup);
    assert.equal(status.state, 'running');
    assert.deepEqual(status.watchers.map((w) => [w.name, w.state, w.processes.length]), [
      ['redis', 'running', 1], ['step.p.first', 'running', 2], ['directory_observer', 'running', 1],
    ]);
    assert.equal(status.watchers[0].processes[0].ready, true, 'redis is up: it answered the supervisor PING');
    // The others announce once up (the step stand-ins after redis answered their own PING).
    await waitFor('every process up', async () => ((await controlRequest(sock(home), { cmd: 'status' })) as RuntimeStatus).watchers.every((w) => w.processes.every((p) => p.ready === true)));
    assert.equal(status.pid, sup.child.pid);
    assert.equal(fs.readFileSync(path.join(home.root, 'var', 'status'), 'utf8').trim(), 'RUNNING');
    // The step's processes found redis answering when they started.
    const stepLog = path.join(home.root, 'log', 'step.p.first.log');
    await waitFor('both workers pinged', () => fs.existsSync(stepLog) && fs.readFileSync(stepLog, 'utf8').split('\n').filter((l) => l.startsWith('redis')).length === 2);
    assert.deepEqual([...new Set(fs.readFileSync(stepLog, 'utf8').split('\n').filter((l) => l.startsWith('redis')))], ['redis answered +PONG']);
    // redis-server really runs with the generated redis.conf.
    const redis = new Redis({ path: redisSock, lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await redis.connect();
      assert.deepEqual(await redis.config('GET', 'maxmemory-policy'), ['maxmemory-policy', 'noeviction']);
      assert.deepEqual(await redis.config('GET', 'appendonly'), ['appendonly', 'yes']);
    } finally {
      redis.disconnect();
    }

    const pids = status.watchers.flatMap((w) => w.processes.map((p) => p.pid));
    assert.equal(pids.length, 4);
    await controlRequest(sock(home), { cmd: 'shutdown' });
    assert.equal(await sup.exited, 0);
    assert.deepEqual(pids.filter(alive), [], 'no process left');
    assert.equal(fs.existsSync(sock(home)), false, 'no socket left');
    assert.equal(fs.existsSync(path.join(home.root, 'var', 'supervisor.lock')), false, 'no lock left');
    assert.equal(fs.readFileSync(path.join(home.root, 'var', 'status'), 'utf8').trim(), 'STOPPED');
  } finally {
    await stopped(sup);
    home.cleanup();
  }
});

test('the control socket is 0600; a second supervisor refuses to start; a stale lock is taken over', async () => {
  const home = makeTempHome();
  writeWatchers(home, [nodeWatcher(home, 'step.p.s', 'sleeper.js')]);
  // A lock left by a supervisor that died: its pid no longer exists.
  const lock = path.join(home.root, 'var', 'supervisor.lock');
  fs.writeFileSync(lock, '999999999\n');
  const sup = spawnSupervisor(home);
  try {
    await upAndRunning(home, sup);
    assert.equal(fs.readFileSync(lock, 'utf8').trim(), String(sup.child.pid), 'the stale lock was taken over');
    assert.equal(fs.statSync(sock(home)).mode & 0o777, 0o600);
    const second = spawnSupervisor(home);
    assert.equal(await second.exited, 3);
    assert.match(second.stderr(), new RegExp(`already running \\(pid ${sup.child.pid}\\)`));
    // The first one is untouched.
    const status = (await controlRequest(sock(home), { cmd: 'status' })) as RuntimeStatus;
    assert.equal(status.watchers[0].state, 'running');
    // Unknown watchers and malformed requests get an error answer, not a crash.
    await assert.rejects(controlRequest(sock(home), { cmd: 'restart', watcher: 'nope' }), (e: unknown) => e instanceof ControlError && /unknown watcher 'nope'/.test(e.message));
    // Handed over to the step debugger: what would start its processes is refused; take_back ends it.
    await controlRequest(sock(home), { cmd: 'hand_over', watcher: 'step.p.s' });
    for (const req of [{ cmd: 'restart' as const, watcher: 'step.p.s' }, { cmd: 'start' as const, watcher: 'step.p.s' }, { cmd: 'incr' as const, watcher: 'step.p.s' }, { cmd: 'set_numprocesses' as const, watcher: 'step.p.s', value: 2 }]) {
      await assert.rejects(controlRequest(sock(home), req), (e: unknown) => e instanceof ControlError && /step\.p\.s is handed over to the step debugger/.test(e.message), req.cmd);
    }
    const still = (await controlRequest(sock(home), { cmd: 'status' })) as RuntimeStatus;
    assert.deepEqual([still.watchers[0].state, still.watchers[0].processes.length], ['handed_over', 0]);
    await controlRequest(sock(home), { cmd: 'take_back', watcher: 'step.p.s' });
    await waitFor('running again', async () => ((await controlRequest(sock(home), { cmd: 'status' })) as RuntimeStatus).watchers[0].processes.length === 1);
  } finally {
    sup.child.kill('SIGTERM');
    await sup.exited;
    home.cleanup();
  }
});

test('reload: numprocesses 1 -> 3 changes only that watcher; a broken watchers.json keeps everything running', async () => {
  const home = makeTempHome();
  const a = nodeWatcher(home, 'step.p.a', 'sleeper.js');
  const b = nodeWatcher(home, 'step.p.b', 'sleeper.js', { numprocesses: 2 });
  writeWatchers(home, [a, b]);
  const sup = spawnSupervisor(home);
  try {
    const before = await upAndRunning(home, sup);
    const pidsOf = (s: RuntimeStatus, name: string): number[] => (s.watchers.find((w) => w.name === name)?.processes ?? []).map((p) => p.pid);
    writeWatchers(home, [{ ...a, numprocesses: 3 }, b]);
    const result = await controlRequest(sock(home), { cmd: 'reload' });
    assert.deepEqual(result, { added: [], removed: [], changed: [], rescaled: ['step.p.a'] });
    const after = (await controlRequest(sock(home), { cmd: 'status' })) as RuntimeStatus;
    assert.equal(pidsOf(after, 'step.p.a').length, 3);
    assert.equal(pidsOf(after, 'step.p.a')[0], pidsOf(before, 'step.p.a')[0], 'wid 1 kept its process');
    assert.deepEqual(pidsOf(after, 'step.p.b'), pidsOf(before, 'step.p.b'), 'the other watcher is untouched');

    // A new watcher starts, a removed one stops, a changed one restarts.
    const c = nodeWatcher(home, 'step.p.c', 'sleeper.js');
    writeWatchers(home, [{ ...a, numprocesses: 3, fingerprint: 'a-2' }, c]);
    assert.deepEqual(await controlRequest(sock(home), { cmd: 'reload' }), { added: ['step.p.c'], removed: ['step.p.b'], changed: ['step.p.a'], rescaled: [] });
    const third = (await controlRequest(sock(home), { cmd: 'status' })) as RuntimeStatus;
    assert.deepEqual(third.watchers.map((w) => [w.name, w.state, w.processes.length]), [['step.p.a', 'running', 3], ['step.p.c', 'running', 1]]);
    assert.deepEqual(pidsOf(after, 'step.p.b').filter(alive), []);
    assert.ok(pidsOf(third, 'step.p.a').every((p) => !pidsOf(after, 'step.p.a').includes(p)), 'changed watcher restarted');

    fs.writeFileSync(path.join(home.root, 'tmp', 'config_auto', 'watchers.json'), '{"watchers": [ broken');
    await assert.rejects(controlRequest(sock(home), { cmd: 'reload' }), /reload refused, the running setup is kept: .*watchers\.json: not valid JSON/);
    const fourth = (await controlRequest(sock(home), { cmd: 'status' })) as RuntimeStatus;
    assert.deepEqual(fourth.watchers.map((w) => w.processes.map((p) => p.pid)), third.watchers.map((w) => w.processes.map((p) => p.pid)));
  } finally {
    sup.child.kill('SIGTERM');
    await sup.exited;
    home.cleanup();
  }
});

test('SIGTERM to the supervisor stops everything in reverse priority order, redis last, and exits 0', async () => {
  const redisServer = requireRedisServer();
  const home = makeTempHome();
  const order = path.join(home.root, 'order.txt');
  const recorder = (name: string, priority: number): ReturnType<typeof nodeWatcher> =>
    nodeWatcher(home, name, 'recorder.js', { args: [home.script('recorder.js'), name, order], priority });
  writeWatchers(home, [
    redisWatcher(home, redisServer),
    recorder('conf_monitor', 90),
    recorder('step.p.s', 50),
    recorder('directory_observer', 80),
  ]);
  const sup = spawnSupervisor(home);
  const events: RuntimeEvent[] = [];
  try {
    await upAndRunning(home, sup);
    for (const w of ['conf_monitor', 'step.p.s', 'directory_observer']) await waitForLog(home, w, 'recorder ready');
    const client = await ControlClient.connect(sock(home));
    await client.subscribe((e) => events.push(e));
    const pids = ((await client.status()).watchers.flatMap((w) => w.processes.map((p) => p.pid)));
    sup.child.kill('SIGTERM');
    assert.equal(await sup.exited, 0);
    await client.closed();
    assert.deepEqual(fs.readFileSync(order, 'utf8').trim().split('\n'), ['conf_monitor', 'directory_observer', 'step.p.s']);
    const exits = events.flatMap((e) => (e.event === 'process_exit' ? [e.watcher] : []));
    assert.deepEqual(exits, ['conf_monitor', 'directory_observer', 'step.p.s', 'redis']);
    assert.deepEqual([...pids, ...allPids(events)].filter(alive), []);
    assert.equal(fs.existsSync(sock(home)), false);
  } finally {
    await stopped(sup);
    home.cleanup();
  }
});

test('a home whose socket path is too long is refused with a message naming the path', async () => {
  const home = makeTempHome();
  const deep = path.join(home.root, 'x'.repeat(60), 'y'.repeat(40));
  fs.mkdirSync(deep, { recursive: true });
  const sup = spawnSupervisor({ ...home, root: deep });
  try {
    assert.equal(await sup.exited, 1);
    assert.match(sup.stderr(), /unix socket path .*supervisor\.sock is \d+ bytes long.*use a shorter runtime home \(--home or MFDATA_HOME\)/);
  } finally {
    home.cleanup();
  }
});
