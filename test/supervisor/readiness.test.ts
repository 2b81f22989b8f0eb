// A supervised process may announce that it is up with one stdout line: the watcher's status then marks it ready
// (what `mfdata start` waits for instead of a fixed quiet time), and the line stays out of the watcher's log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
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

test('a process is marked ready once it writes the readiness line, which is not logged', async () => {
  const home = makeTempHome();
  const spec = nodeWatcher(home, 'step.p.s', 'ready-on-signal.js', { numprocesses: 2 });
  const w = new Watcher(spec, { env: process.env, emit: () => undefined, log: () => undefined });
  const pids: number[] = [];
  try {
    await w.start();
    await waitFor('both processes started and logging', () => fs.existsSync(spec.logFile) && (fs.readFileSync(spec.logFile, 'utf8').match(/starting/g) ?? []).length === 2);
    assert.match(fs.readFileSync(spec.logFile, 'utf8'), /asked to announce: 1/);
    const before = w.status().processes;
    pids.push(...before.map((p) => p.pid));
    assert.deepEqual(before.map((p) => p.ready), [undefined, undefined]);
    process.kill(before[0].pid, 'SIGUSR2');
    await waitFor('the first process ready', () => w.status().processes[0].ready === true);
    assert.equal(w.status().processes[1].ready, undefined, 'the other one has not announced');
    await waitFor('the line after the announce logged', () => fs.readFileSync(spec.logFile, 'utf8').includes('after the announce'));
    assert.ok(!fs.readFileSync(spec.logFile, 'utf8').includes(READY_LINE), 'the readiness line is not in the log');
    // A respawned process starts not ready again.
    process.kill(before[0].pid, 'SIGKILL');
    const respawned = await waitFor('a respawn in slot 1', () => {
      const p = w.status().processes.find((x) => x.wid === 1);
      return p && p.pid !== before[0].pid ? p : undefined;
    });
    pids.push(respawned.pid);
    assert.equal(respawned.ready, undefined);
  } finally {
    await w.stop();
    w.dispose();
    home.cleanup();
  }
  assert.deepEqual(pids.filter(alive), [], 'every process is gone');
});
