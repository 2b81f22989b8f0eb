// A supervised process may announce that it is up with one stdout line: the watcher's status then marks it ready
// (what `mfdata start` waits for instead of a fixed quiet time), and the line stays out of the watcher's log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { shownState, type RuntimeEvent, type RuntimeStatus, type WatcherStatus } from '../../runtime/supervisor/protocol';
import { renderStatus } from '../../runtime/supervisor/status-table';
import { Watcher } from '../../runtime/supervisor/watcher';
import { READY_ENV, READY_LINE } from '../../runtime/util/ready';
import { alive, makeTempHome, nodeWatcher, SCRIPTS, waitFor } from './helpers';

// Announces (only when the supervisor asked for it, as runtime/util/ready.ts does) once it gets SIGUSR2.
SCRIPTS['ready-on-signal.js'] = `
process.on('SIGTERM', () => process.exit(0));
console.log('starting, asked to announce: ' + process.env.${READY_ENV});
process.on('SIGUSR2', () => { if (process.env.${READY_ENV} === '1') console.log(${JSON.stringify(READY_LINE)}); console.log('after the announce'); });
setInterval(() => {}, 1000);
`;

function runtime(watchers: WatcherStatus[]): RuntimeStatus {
  return { home: '/h', pid: 1, version: 't', startedAt: Date.now(), state: 'running', watchers };
}

test('a process is marked ready once it writes the readiness line, which is not logged', async () => {
  const home = makeTempHome();
  const spec = nodeWatcher(home, 'step.p.s', 'ready-on-signal.js', { numprocesses: 2 });
  const events: RuntimeEvent[] = [];
  const w = new Watcher(spec, { env: process.env, emit: (e) => events.push(e), log: () => undefined });
  const pids: number[] = [];
  try {
    await w.start();
    await waitFor('both processes started and logging', () => fs.existsSync(spec.logFile) && (fs.readFileSync(spec.logFile, 'utf8').match(/starting/g) ?? []).length === 2);
    assert.match(fs.readFileSync(spec.logFile, 'utf8'), /asked to announce: 1/);
    const before = w.status().processes;
    pids.push(...before.map((p) => p.pid));
    assert.deepEqual(before.map((p) => p.ready), [false, false]);
    assert.match(renderStatus(runtime([w.status()])), /step\.p\.s\s+starting \(0\/2 up\)/);
    process.kill(before[0].pid, 'SIGUSR2');
    await waitFor('the first process ready', () => w.status().processes[0].ready === true);
    // Said to the subscribers (the views refresh on it instead of waiting for their backstop poll).
    assert.deepEqual(events.filter((e) => e.event === 'process_ready').map((e) => 'pid' in e && e.pid), [before[0].pid]);
    assert.equal(w.status().processes[1].ready, false, 'the other one has not announced');
    assert.equal(shownState(w.status()), 'starting');
    assert.match(renderStatus(runtime([w.status()])), /step\.p\.s\s+starting \(1\/2 up\)/);
    process.kill(before[1].pid, 'SIGUSR2');
    await waitFor('both processes ready', () => shownState(w.status()) === 'running');
    assert.match(renderStatus(runtime([w.status()])), /step\.p\.s\s+running\s+\d+,\d+/);
    await waitFor('the line after the announce logged', () => fs.readFileSync(spec.logFile, 'utf8').includes('after the announce'));
    assert.ok(!fs.readFileSync(spec.logFile, 'utf8').includes(READY_LINE), 'the readiness line is not in the log');
    // A respawned process starts not ready again.
    process.kill(before[0].pid, 'SIGKILL');
    const respawned = await waitFor('a respawn in slot 1', () => {
      const p = w.status().processes.find((x) => x.wid === 1);
      return p && p.pid !== before[0].pid ? p : undefined;
    });
    pids.push(respawned.pid);
    assert.equal(respawned.ready, false);
  } finally {
    await w.stop();
    w.dispose();
    home.cleanup();
  }
  assert.deepEqual(pids.filter(alive), [], 'every process is gone');
});

test('a process that does not announce (an extra daemon) counts as ready once it lived 700 ms', async () => {
  const home = makeTempHome();
  // Kind 'extra': the script never writes the readiness line.
  const spec = nodeWatcher(home, 'extra.p.d', 'ready-on-signal.js');
  const events: RuntimeEvent[] = [];
  const w = new Watcher(spec, { env: process.env, emit: (e) => events.push(e), log: () => undefined });
  try {
    await w.start();
    const [p] = w.status().processes;
    assert.equal(w.status(p.startedAt + 100).processes[0].ready, false, 'not ready right after the spawn');
    assert.equal(shownState(w.status(p.startedAt + 100)), 'starting');
    assert.equal(w.status(p.startedAt + 700).processes[0].ready, true);
    await waitFor('ready by the clock', () => w.status().processes[0]?.ready === true);
    assert.equal(shownState(w.status()), 'running');
    await waitFor('process_ready told at 700 ms', () => events.some((e) => e.event === 'process_ready'));
  } finally {
    await w.stop();
    w.dispose();
    home.cleanup();
  }
});

test('redis is ready once the supervisor PING check passed (markReady), before its 700 ms', async () => {
  const home = makeTempHome();
  const spec = nodeWatcher(home, 'redis', 'ready-on-signal.js', { kind: 'redis' });
  const w = new Watcher(spec, { env: process.env, emit: () => undefined, log: () => undefined });
  try {
    await w.start();
    const [p] = w.status().processes;
    assert.equal(w.status(p.startedAt + 100).processes[0].ready, false);
    w.markReady();
    assert.equal(w.status(p.startedAt + 100).processes[0].ready, true);
  } finally {
    await w.stop();
    w.dispose();
    home.cleanup();
  }
});
