// The runtime's own step stats through a real supervised runtime: `mfdata stats` shows what the workers did
// (files, failures, bytes, times, queue length), series buckets line up with the processing, totals reset at start.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { readStepSeries, type StepStats } from '../../runtime/stats/read';
import { ControlClient } from '../../runtime/supervisor/control-client';
import { listFiles, RUNTIME_DIR, startRuntime, waitFor, writeWorkspacePlugin, type TestRuntime } from '../steps/runtime-harness';

const run = promisify(execFile);
const CLI = path.join(RUNTIME_DIR, 'cli.js');

/** Sleeps ~50 ms, logs `name start end` (epoch ms) to the `log` custom file, fails files whose content starts with "fail". */
const SLOW_STEP = `
import * as fs from 'node:fs';
export const step = {
  async process(file, ctx) {
    const start = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    const body = fs.readFileSync(file.path, 'utf8');
    fs.appendFileSync(ctx.getCustom('log'), file.originalBasename + ' ' + start + ' ' + Date.now() + '\\n');
    return !body.startsWith('fail');
  },
};
`;

const BATCH_STEP = `
export const step = { batchProcess(files) { return files.map(() => true); } };
`;

interface StatsJson { home: string; startedAt: number | null; now: number; steps: StepStats[]; state?: string }

async function stats(rt: TestRuntime, ...args: string[]): Promise<StatsJson> {
  const { stdout } = await run(process.execPath, [CLI, 'stats', '--json', '--home', rt.home.root, ...args], { cwd: rt.workspace });
  return JSON.parse(stdout) as StatsJson;
}

async function waitForStats(rt: TestRuntime, what: string, ok: (s: StatsJson) => boolean): Promise<StatsJson> {
  const deadline = Date.now() + 30_000;
  let last: StatsJson | undefined;
  while (Date.now() < deadline) {
    last = await stats(rt);
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last mfdata stats --json:\n${JSON.stringify(last, null, 2)}`);
}

function stepOf(s: StatsJson, plugin: string, step: string): StepStats {
  const found = s.steps.find((x) => x.plugin === plugin && x.step === step);
  assert.ok(found, `${plugin}/${step} in ${s.steps.map((x) => `${x.plugin}/${x.step}`).join(', ')}`);
  return found;
}

test('mfdata stats: counts, bytes, times, queue length and series of real processing; the totals reset on restart', async () => {
  const logFile = path.join(fs.mkdtempSync('/tmp/mfst-log-'), 'times.log');
  const rt = await startRuntime((ws) => {
    fs.writeFileSync(path.join(ws, 'mfdata.ini'), '[autorestart]\nflag = 0\n');
    writeWorkspacePlugin(ws, 'slow', `[step_main]\n_step_module = main.ts\n\n[custom]\nlog = ${logFile}\n`);
    fs.writeFileSync(path.join(ws, 'plugins/slow/main.ts'), SLOW_STEP);
    writeWorkspacePlugin(ws, 'held', '[step_main]\n_step_module = main.ts\n');
    fs.writeFileSync(path.join(ws, 'plugins/held/main.ts'), 'export const step = { process() { return true; } };\n');
    writeWorkspacePlugin(ws, 'grouped', '[step_main]\n_step_module = main.ts\nbatch_max_size = 3\nbatch_max_wait = 0.5\n');
    fs.writeFileSync(path.join(ws, 'plugins/grouped/main.ts'), BATCH_STEP);
  });
  const redis = new Redis({ path: rt.home.redisSocket, lazyConnect: true });
  redis.on('error', () => undefined); // Redis restarts with the runtime below: the client reconnects on its own.
  try {
    await redis.connect();
    const before = await stats(rt);
    assert.equal(stepOf(before, 'slow', 'main').sinceStart.processed, 0);
    assert.ok(before.startedAt !== null && before.startedAt <= before.now, 'the supervisor recorded the start of the totals');

    // 8 good files of known sizes, 2 failing ones.
    const inbox = path.join(rt.home.inDir, 'step.slow.main');
    let bytes = 0;
    for (let i = 0; i < 10; i++) {
      const body = i < 2 ? `fail ${'x'.repeat(i * 100)}` : 'y'.repeat(1000 + i * 37);
      bytes += Buffer.byteLength(body);
      rt.drop(inbox, `f${i}.txt`, body);
    }
    for (let i = 0; i < 5; i++) rt.drop(path.join(rt.home.inDir, 'step.grouped.main'), `b${i}.txt`, 'bb');
    await waitFor(() => fs.existsSync(logFile) && fs.readFileSync(logFile, 'utf8').trim().split('\n').length === 10, 'the 10 files processed', 30_000, rt.home.logDir);
    // Not counting a .tags file being written under its temporary dot name.
    await waitFor(() => listFiles(path.join(rt.home.inDir, 'trash')).filter((f) => !f.endsWith('.tags') && !path.basename(f).startsWith('.')).length === 2, 'the 2 failures in trash', 30_000, rt.home.logDir);

    const s = await waitForStats(rt, '10 files and 5 batch files counted', (x) => stepOf(x, 'slow', 'main').sinceStart.processed === 10
      && stepOf(x, 'slow', 'main').sinceStart.timedFiles === 10 && stepOf(x, 'grouped', 'main').sinceStart.processed === 5);
    const slow = stepOf(s, 'slow', 'main');
    assert.equal(slow.sinceStart.failed, 2);
    assert.equal(slow.sinceStart.bytes, bytes);
    assert.equal(slow.queueLength, 0);
    assert.equal(slow.lastMinute.processed, 10, 'all within the last minute');
    assert.equal(slow.lastMinute.failed, 2);
    assert.equal(slow.lastMinute.bytes, bytes);

    // Times: the file timer holds the step's own ~50 ms plus claim and finishing; generous bands, no speed assumed.
    const own = fs.readFileSync(logFile, 'utf8').trim().split('\n').map((l) => l.split(' ')).map(([name, a, b]) => ({ name, start: Number(a), ms: Number(b) - Number(a) }));
    const ownMean = own.reduce((sum, o) => sum + o.ms, 0) / own.length;
    const ownMax = Math.max(...own.map((o) => o.ms));
    console.log(`step's own mean ${ownMean.toFixed(1)} ms (max ${ownMax}); stats mean ${slow.sinceStart.meanMs?.toFixed(1)} ms, p95 ${slow.sinceStart.p95Ms?.toFixed(1)} ms`);
    assert.ok(slow.sinceStart.meanMs !== null && slow.sinceStart.meanMs >= ownMean - 2, `mean ${slow.sinceStart.meanMs} ≥ the step's own ${ownMean}`);
    assert.ok(slow.sinceStart.meanMs < ownMean + 1000, `mean ${slow.sinceStart.meanMs} not far above the step's own ${ownMean}`);
    assert.ok(slow.sinceStart.p95Ms !== null && slow.sinceStart.p95Ms >= 49, `p95 ${slow.sinceStart.p95Ms} ≥ the 50 ms sleep`);
    assert.ok(slow.sinceStart.p95Ms < (ownMax + 1000) * 1.1, `p95 ${slow.sinceStart.p95Ms} within a bucket of the slowest file`);
    assert.ok(slow.lastMinute.filesPerSecond > 0 && slow.lastMinute.filesPerSecond <= 10 / 50, 'files/s over the last minute (50–60 s)');

    // A batch step: every file counted, batches counted, no per-file time.
    const grouped = stepOf(s, 'grouped', 'main');
    assert.equal(grouped.sinceStart.failed, 0);
    assert.equal(grouped.sinceStart.bytes, 10);
    assert.equal(grouped.sinceStart.meanMs, null);
    assert.ok(grouped.sinceStart.batches >= 2 && grouped.sinceStart.batches <= 5, `${grouped.sinceStart.batches} batches of at most 3`);

    // Series: each file is counted in the 10 s bucket where it was claimed, just before its process() started.
    const [series] = await readStepSeries(redis, [{ plugin: 'slow', step: 'main' }], { minutes: 5 });
    assert.equal(series.points.length, 30);
    assert.equal(series.points.reduce((n, p) => n + p.processed, 0), 10);
    assert.equal(series.points.reduce((n, p) => n + p.failed, 0), 2);
    for (const p of series.points) {
      const inBucket = own.filter((o) => o.start >= p.t && o.start < p.t + 10_000);
      // A file is claimed before its process() starts, by up to the time the files claimed with it ahead took (seconds on
      // a loaded machine): one that started shortly after a bucket boundary may be counted in the bucket before.
      const near = (o: { start: number }, edge: number): boolean => o.start >= edge - 200 && o.start < edge + 3000;
      const nearEdge = own.filter((o) => near(o, p.t) || near(o, p.t + 10_000));
      if (nearEdge.length === 0) assert.equal(p.processed, inBucket.length, `bucket ${new Date(p.t).toISOString()}`);
      if (p.processed > 0) assert.ok(p.meanMs !== null && p.meanMs >= 45, `bucket mean ${p.meanMs}`);
    }

    // Queue length: with the held step's workers handed over, pushed messages wait in its queue.
    const control = await ControlClient.connect(rt.home.supervisorSocket);
    try {
      await control.request({ cmd: 'hand_over', watcher: 'step.held.main' });
      await redis.lpush('step.held.main', ...['a', 'b', 'c'].map((n) => JSON.stringify({ directory: rt.home.inDir, filename: n, event: 'IN_MOVED_TO', event_timestamp: 0 })));
      const held = stepOf(await stats(rt, '--plugin', 'held'), 'held', 'main');
      assert.equal(held.queueLength, 3);
      await redis.del('step.held.main');
      await control.request({ cmd: 'take_back', watcher: 'step.held.main' });
    } finally {
      control.close();
    }
    const only = await stats(rt, '--plugin', 'slow');
    assert.deepEqual(only.steps.map((x) => `${x.plugin}/${x.step}`), ['slow/main']);

    // A restart starts the totals again; the last minute's buckets are still there.
    await rt.restart();
    const after = await stats(rt);
    const slowAfter = stepOf(after, 'slow', 'main');
    assert.equal(slowAfter.sinceStart.processed, 0);
    assert.equal(slowAfter.sinceStart.failed, 0);
    assert.ok(after.startedAt !== null && before.startedAt !== null && after.startedAt > before.startedAt);
    const recent = await readStepSeries(redis, [{ plugin: 'slow', step: 'main' }], { minutes: 5 });
    assert.equal(recent[0].points.reduce((n, p) => n + p.processed, 0), 10, 'the buckets outlive the restart');
  } finally {
    redis.disconnect();
    await rt.stop();
    fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
  }
});

test('mfdata stats says the runtime is not running, and exits 3, when it is not', async () => {
  const home = fs.mkdtempSync('/tmp/mfst-none-');
  try {
    const text = await run(process.execPath, [CLI, 'stats', '--home', home], { cwd: home }).then(() => assert.fail('exit 0'), (err: { code: number; stdout: string }) => err);
    assert.equal(text.code, 3);
    assert.match(text.stdout, /mfdata is not running/);
    const json = await run(process.execPath, [CLI, 'stats', '--json', '--home', home], { cwd: home }).then(() => assert.fail('exit 0'), (err: { code: number; stdout: string }) => err);
    assert.deepEqual(JSON.parse(json.stdout), { home, state: 'stopped' });
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
