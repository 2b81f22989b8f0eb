// MFDATA_LATENCY_STAMPS (bench/latency.bench.ts, BENCH_STAGES=1): a worker notes each file at every stage of its claim,
// in path order on the monotonic clock, and writes them when it exits; without the variable it writes nothing.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startOneWorker } from './one-worker';
import { waitFor } from '../datapath/harness';

const STEP = `export function process() { return true; }`;
const WORKER_STAGES = ['w_pop', 'w_guard', 'w_intent', 'w_renamed', 'w_claimed', 'process'];

test('with MFDATA_LATENCY_STAMPS, a worker writes each file\'s claim stages in order when it exits', async (t) => {
  const dir = fs.mkdtempSync('/tmp/mfdata-stamps-test-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const w = await startOneWorker(t, 'st', [{ name: 'main', source: STEP }], { env: { MFDATA_LATENCY_STAMPS: dir } });
  await w.give('first.txt', 'a');
  await w.give('second.txt', 'b');
  await waitFor('both files processed and deleted', () => fs.readdirSync(w.inbox).length === 0 && fs.readdirSync(w.tmp).every((n) => n.startsWith('.')), 20_000);
  await w.worker.stop();
  const files = fs.readdirSync(dir).filter((n) => n.startsWith('stamps-'));
  assert.equal(files.length, 1, 'one stamps file, the worker\'s');
  const at = new Map<string, Map<string, bigint>>();
  for (const line of fs.readFileSync(path.join(dir, files[0]), 'utf8').split('\n')) {
    const [name, stage, ns] = line.split('\t');
    if (name === '' || stage === undefined) continue;
    if (!at.has(name)) at.set(name, new Map());
    at.get(name)?.set(stage, BigInt(ns));
  }
  for (const name of ['first.txt', 'second.txt']) {
    const stages = at.get(name);
    assert.deepEqual([...(stages?.keys() ?? [])], WORKER_STAGES, `${name}: every stage, once, in path order`);
    const times = WORKER_STAGES.map((s) => stages?.get(s) ?? 0n);
    for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1], `${name}: ${WORKER_STAGES[i]} not before ${WORKER_STAGES[i - 1]}`);
  }
});

test('without MFDATA_LATENCY_STAMPS nothing is written', async (t) => {
  const dir = fs.mkdtempSync('/tmp/mfdata-stamps-test-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const w = await startOneWorker(t, 'st', [{ name: 'main', source: STEP }], { env: { MFDATA_LATENCY_STAMPS: '' } });
  await w.give('only.txt', 'a');
  await waitFor('the file processed', () => fs.readdirSync(w.inbox).length === 0 && fs.readdirSync(w.tmp).every((n) => n.startsWith('.')), 20_000);
  await w.worker.stop();
  assert.deepEqual(fs.readdirSync(dir), []);
});
