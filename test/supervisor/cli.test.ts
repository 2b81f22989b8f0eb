// `mfdata start|status|restart|stop` against a real supervisor (watchers.json written by the test, --no-generate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuntimeStatus } from '../../runtime/supervisor/protocol';
import { alive, makeTempHome, nodeWatcher, writeWatchers, type TempHome } from './helpers';
import { runCli, type CliRun } from '../helpers/cli';

function mfdata(home: TempHome, ...argv: string[]): Promise<CliRun> {
  return runCli(['--home', home.root, '--workspace', home.root, ...argv]);
}

test('start returns once everything runs; status lists it; a second start says already running; stop leaves nothing', async () => {
  const home = makeTempHome();
  writeWatchers(home, [nodeWatcher(home, 'step.p.a', 'sleeper.js', { numprocesses: 2 }), nodeWatcher(home, 'directory_observer', 'sleeper.js', { priority: 80 })]);
  try {
    const start = await mfdata(home, 'start', '--no-generate');
    assert.equal(start.code, 0, start.err);
    assert.match(start.out, /mfdata started \(supervisor pid \d+\): 2 watchers, 3 processes/);

    const status = await mfdata(home, 'status');
    assert.equal(status.code, 0);
    assert.match(status.out, /^runtime running \(supervisor pid \d+/);
    assert.match(status.out, /WATCHER\s+STATE\s+PIDS\s+UPTIME\s+RESTARTS\s+LAST EXIT/);
    assert.match(status.out, /step\.p\.a\s+running\s+\d+,\d+\s+\S+\s+0\s+-/);

    const json = JSON.parse((await mfdata(home, 'status', '--json')).out) as RuntimeStatus;
    const pids = json.watchers.flatMap((w) => w.processes.map((p) => p.pid));
    assert.equal(pids.length, 3);

    const again = await mfdata(home, 'start', '--no-generate');
    assert.equal(again.code, 0);
    assert.equal(again.out, `mfdata: already running (pid ${json.pid})\n`);

    const restart = await mfdata(home, 'restart', 'step.p.a');
    assert.equal(restart.code, 0, restart.err);
    assert.match(restart.out, /^step\.p\.a: running \(pids \d+,\d+\)/);

    const stop = await mfdata(home, 'stop');
    assert.equal(stop.code, 0, stop.err);
    assert.equal(stop.out, 'mfdata stopped\n');
    assert.deepEqual([json.pid, ...pids].filter(alive), []);
    assert.equal(fs.existsSync(path.join(home.root, 'var', 'supervisor.sock')), false);
    assert.equal(fs.existsSync(path.join(home.root, 'var', 'supervisor.lock')), false);

    const after = await mfdata(home, 'status');
    assert.equal(after.code, 3);
    assert.match(after.out, /mfdata is not running/);
    assert.deepEqual(await mfdata(home, 'stop'), { code: 0, out: 'mfdata is not running\n', err: '' });
  } finally {
    await mfdata(home, 'stop');
    home.cleanup();
  }
});

test('start exits non-zero naming a crashing watcher and its last stderr line; the rest keeps running', async () => {
  const home = makeTempHome();
  writeWatchers(home, [
    nodeWatcher(home, 'step.p.good', 'sleeper.js'),
    nodeWatcher(home, 'step.p.bad', 'crasher.js', { flapping: { exits: 3, windowSeconds: 30 } }),
  ]);
  try {
    const start = await mfdata(home, 'start', '--no-generate');
    assert.equal(start.code, 1);
    // start watches a crash loop for a few seconds: on a slow machine the watcher may not have reached its flapping
    // limit by then (still restarting or in backoff), but it is named with its last stderr line either way.
    assert.match(start.err, /not every watcher runs:\n {2}step\.p\.bad: (failed|restarting|backoff): crasher: cannot open queue step\.p\.s/);
    // The supervisor then marks it failed (3 exits within 30 s): wait for that state rather than reading it at once.
    const deadline = Date.now() + 45_000;
    let state: string | undefined;
    while ((state = (JSON.parse((await mfdata(home, 'status', '--json')).out) as RuntimeStatus).watchers.find((w) => w.name === 'step.p.bad')?.state) !== 'failed') {
      assert.ok(Date.now() < deadline, `step.p.bad never marked failed (state ${state})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const status = await mfdata(home, 'status');
    assert.equal(status.code, 1);
    assert.match(status.out, /step\.p\.good\s+running/);
    assert.match(status.out, /step\.p\.bad\s+failed\s+-\s+-\s+\d+\s+code 3/);
    assert.match(status.out, /step\.p\.bad failed: crasher: cannot open queue step\.p\.s/);
    const json = JSON.parse((await mfdata(home, 'status', '--json')).out) as RuntimeStatus;
    assert.equal(json.state, 'degraded');
    assert.equal(fs.readFileSync(path.join(home.root, 'var', 'status'), 'utf8').trim(), 'ERROR');
  } finally {
    const stop = await mfdata(home, 'stop');
    assert.equal(stop.code, 0);
    home.cleanup();
  }
});

test('restart with a configuration start would refuse lists the errors, exits 4 and leaves the runtime running', async () => {
  const home = makeTempHome();
  writeWatchers(home, [nodeWatcher(home, 'step.p.a', 'sleeper.js')]);
  try {
    const start = await mfdata(home, 'start', '--no-generate');
    assert.equal(start.code, 0, start.err);
    const before = JSON.parse((await mfdata(home, 'status', '--json')).out) as RuntimeStatus;
    fs.writeFileSync(path.join(home.root, 'mfdata.ini'), '[redis]\nmax_memory = lots\n');

    const restart = await mfdata(home, 'restart');
    assert.equal(restart.code, 4);
    assert.match(restart.err, /mfdata\.ini:2:\d+: error: .*max_memory/);
    assert.match(restart.err, new RegExp(`refusing to restart: 1 configuration error; the runtime keeps running as it was \\(pid ${before.pid}\\)`));
    assert.equal(restart.out, '', 'not stopped');
    const after = JSON.parse((await mfdata(home, 'status', '--json')).out) as RuntimeStatus;
    assert.equal(after.pid, before.pid);
    assert.deepEqual(after.watchers.flatMap((w) => w.processes.map((p) => p.pid)), before.watchers.flatMap((w) => w.processes.map((p) => p.pid)));

    // --no-generate uses tmp/config_auto as it is: nothing to check, the restart goes through.
    const forced = await mfdata(home, 'restart', '--no-generate');
    assert.equal(forced.code, 0, forced.err);
    assert.match(forced.out, /^mfdata stopped\nmfdata started/);
    assert.notEqual((JSON.parse((await mfdata(home, 'status', '--json')).out) as RuntimeStatus).pid, before.pid);
  } finally {
    await mfdata(home, 'stop');
    home.cleanup();
  }
});
