// Retries through the hidden `<step>_reinject` step, with real processes: waits follow the backoff formula,
// a step that keeps failing ends in its original failure policy, and a pending retry survives a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { retryDelay } from '../../runtime/steps/retry-delay';
import { listFiles, startRuntime, waitFor, writeWorkspacePlugin } from './runtime-harness';

/** A step that records each attempt (time in ms) and fails while fewer than `failures` attempts were made. */
function flakyStep(failures: number): string {
  return `import * as fs from 'node:fs';
import * as path from 'node:path';
export function process(file: { originalBasename: string }, ctx: { getCustom(k: string): string }): boolean {
  const log = path.join(ctx.getCustom('attempts_dir'), file.originalBasename);
  fs.appendFileSync(log, Date.now() + '\\n');
  return fs.readFileSync(log, 'utf8').trim().split('\\n').length > ${failures};
}
`;
}

function attempts(dir: string, name: string): number[] {
  const f = path.join(dir, name);
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim().split('\n').map(Number) : [];
}

function setup(attemptsDir: string, stepIni: string, failures: number) {
  return (ws: string): void => {
    fs.writeFileSync(path.join(ws, 'mfdata.ini'), '[autorestart]\nflag = 0\n');
    writeWorkspacePlugin(ws, 'flaky', `[step_main]\n_step_module = main.ts\n${stepIni}\n[custom]\nattempts_dir = ${attemptsDir}\n`);
    fs.writeFileSync(path.join(ws, 'plugins/flaky/main.ts'), flakyStep(failures));
    fs.mkdirSync(attemptsDir, { recursive: true });
  };
}

test('a step failing twice then succeeding is retried after the configured waits and succeeds', async () => {
  const policy = { total: 3, minWait: 1, maxWait: 10, backoff: 0.5 };
  const dir = fs.mkdtempSync('/tmp/mfst-att-');
  const rt = await startRuntime(setup(dir, `retry_total = ${policy.total}\nretry_min_wait = ${policy.minWait}\nretry_max_wait = ${policy.maxWait}\nretry_backoff = ${policy.backoff}\n`, 2));
  try {
    rt.drop(path.join(rt.home.inDir, 'step.flaky.main'), 'obs.txt', 'x');
    const times = await waitFor(() => { const t = attempts(dir, 'obs.txt'); return t.length === 3 && t; }, 'three attempts', 30000, rt.home.logDir);
    const waits = [1, 2].map((i) => (times[i] - times[i - 1]) / 1000);
    const expected = [1, 2].map((a) => retryDelay(policy, a));
    console.log(`retry waits measured ${waits.map((w) => w.toFixed(2)).join(' s, ')} s; configured ${expected.join(' s, ')} s`);
    waits.forEach((w, i) => {
      assert.ok(w >= expected[i] * 0.9, `retry ${i + 1} came after ${w} s, before its ${expected[i]} s wait`);
      assert.ok(w < expected[i] + 5, `retry ${i + 1} came after ${w} s (wait ${expected[i]} s, generous tolerance 5 s)`);
    });
    await waitFor(() => listFiles(path.join(rt.home.inDir, 'tmp')).filter((f) => !f.includes('.workers')).length === 0, 'the claim to be gone');
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'trash')), [], 'it succeeded: nothing in trash');
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'retry')), [], 'nothing left waiting');
  } finally {
    await rt.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a step that always fails ends in its failure policy (keep: trash + .tags) after retry_total retries', async () => {
  const dir = fs.mkdtempSync('/tmp/mfst-att-');
  const rt = await startRuntime(setup(dir, 'retry_total = 2\nretry_min_wait = 0.2\nretry_max_wait = 1\nfailure_policy = keep\n', 1000));
  try {
    rt.drop(path.join(rt.home.inDir, 'step.flaky.main'), 'bad.txt', 'x');
    const trash = path.join(rt.home.inDir, 'trash/flaky.main');
    // Both in place: the .tags is written under a temporary `.<hex>.t` name first, which a listing may catch.
    const kept = await waitFor(() => { const l = listFiles(trash); return l.length === 2 && l.some((f) => f.endsWith('.tags')) && l; }, 'the file in trash with its tags', 30000, rt.home.logDir);
    assert.equal(kept.filter((f) => f.endsWith('.tags')).length, 1);
    assert.equal(attempts(dir, 'bad.txt').length, 3, 'the first try and 2 retries');
    const tagsText = fs.readFileSync(path.join(trash, kept.find((f) => f.endsWith('.tags')) as string), 'utf8');
    assert.match(tagsText, /gave up after 2 retries/);
  } finally {
    await rt.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a pending retry survives a restart of the runtime', async () => {
  const dir = fs.mkdtempSync('/tmp/mfst-att-');
  const rt = await startRuntime(setup(dir, 'retry_total = 1\nretry_min_wait = 3\nretry_max_wait = 3\n', 1));
  try {
    rt.drop(path.join(rt.home.inDir, 'step.flaky.main'), 'late.txt', 'x');
    await waitFor(() => listFiles(path.join(rt.home.inDir, 'retry')).length === 1, 'the file waiting for its retry', 30000, rt.home.logDir);
    await rt.restart();
    const times = await waitFor(() => { const t = attempts(dir, 'late.txt'); return t.length === 2 && t; }, 'the retry after the restart', 30000, rt.home.logDir);
    console.log(`retry across a restart came ${((times[1] - times[0]) / 1000).toFixed(2)} s after the failure (wait 3 s)`);
    assert.ok(times[1] - times[0] >= 2700);
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'trash')), []);
  } finally {
    await rt.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('files waiting for a retry when retries are turned off go back into the step inbox at its next start (were stranded)', async () => {
  const dir = fs.mkdtempSync('/tmp/mfst-att-');
  const rt = await startRuntime(setup(dir, 'retry_total = 2\nretry_min_wait = 600\nretry_max_wait = 600\n', 1));
  try {
    rt.drop(path.join(rt.home.inDir, 'step.flaky.main'), 'waiting.txt', 'x');
    await waitFor(() => listFiles(path.join(rt.home.inDir, 'retry')).length === 1, 'the file waiting 10 minutes for its retry', 30000, rt.home.logDir);
    const ini = path.join(rt.workspace, 'plugins/flaky/config.ini');
    fs.writeFileSync(ini, fs.readFileSync(ini, 'utf8').replace(/retry_total = 2/, 'retry_total = 0'));
    rt.regenerate();
    await rt.restart();
    const times = await waitFor(() => { const t = attempts(dir, 'waiting.txt'); return t.length === 2 && t; }, 'the file processed again at once', 30000, rt.home.logDir);
    assert.ok(times[1] - times[0] < 600_000);
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'retry')), []);
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'trash')), []);
    const log = fs.readFileSync(path.join(rt.home.logDir, 'step_flaky_main.log'), 'utf8');
    assert.match(log, /retries are off for this step \(retry_total = 0\): the files waiting for a retry were put back into its inbox/);
  } finally {
    await rt.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
