// A worker gives memory back when its queue goes idle after work: one full GC, never under a backlog, and step code
// never sees V8's gc function although workers run with --expose-gc.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dropFile, listFiles, waitFor } from '../datapath/harness';
import { startOneWorker } from './one-worker';
import { encodeMessage, messageFor } from '../../runtime/queue/message';
import { IDLE_GC_MIN_FILES, IdleGc } from '../../runtime/worker/idle-gc';
import { WORKER_NODE_FLAGS } from '../../runtime/config/generate/watchers';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Collections counted by a real function (what matters here is when IdleGc calls it, not what it frees). */
function counting(delayMs = 20): { gc: IdleGc; calls: () => number } {
  let n = 0;
  return { gc: new IdleGc(() => { n++; }, undefined, delayMs), calls: () => n };
}

test('a worker goes idle after start-up: the start-up garbage is collected once', async () => {
  const { gc, calls } = counting();
  gc.waiting();
  await waitFor('the first idle collection', () => calls() === 1, 10_000, 5);
  // Idle again with no file since: nothing to give back, no timer.
  gc.resumed(0);
  gc.waiting();
  await sleep(100);
  assert.equal(calls(), 1);
  gc.close();
});

test('under a backlog every pop returns before the delay: no collection at all', async () => {
  const { gc, calls } = counting(200);
  for (let i = 0; i < 50; i++) {
    gc.waiting();
    await sleep(1);
    gc.resumed(16);
  }
  await sleep(400);
  assert.equal(calls(), 0);
  gc.close();
});

test(`after ${IDLE_GC_MIN_FILES} files the next idle moment collects again; fewer files do not`, async () => {
  const { gc, calls } = counting();
  gc.waiting();
  await waitFor('the first idle collection', () => calls() === 1, 10_000, 5);
  gc.resumed(IDLE_GC_MIN_FILES - 1);
  gc.waiting();
  await sleep(100);
  assert.equal(calls(), 1, 'a trickle of files does not cost a full GC each idle moment');
  gc.resumed(1);
  gc.waiting();
  await waitFor('the collection after enough files', () => calls() === 2, 10_000, 5);
  gc.close();
});

test('without --expose-gc there is nothing to call and nothing is armed', async () => {
  const gc = new IdleGc(undefined, undefined, 5);
  gc.waiting();
  await sleep(30);
  assert.equal(gc.collections, 0);
});

const PROBE_STEP = `
import { defineStep } from 'mfdata';
import * as fs from 'node:fs';
export const step = defineStep({
  process(file, ctx) {
    // Written then renamed: the test never reads it half-written.
    const probe = ctx.getCustom('probe');
    fs.writeFileSync(probe + '.t', typeof (globalThis as { gc?: unknown }).gc);
    fs.renameSync(probe + '.t', probe);
    return true;
  },
});
`;

test('a real worker (supervisor flags) hides gc from the step, collects once idle after a burst, and keeps working', async (t) => {
  assert.ok(WORKER_NODE_FLAGS.includes('--expose-gc'));
  const { client, inbox, worker, home } = await startOneWorker(t, 'p', [{ name: 'main', source: PROBE_STEP }], {
    custom: (h) => ({ probe: path.join(h.dir, 'probe') }),
    env: { MFLOG_MINIMAL_LEVEL: 'DEBUG' },
  });
  const probe = path.join(home.dir, 'probe');
  const collected = (): number => worker.records.filter((r) => r.event === 'idle: garbage collected').length;
  // The start-up garbage goes at the first idle moment.
  await waitFor('the collection after start-up', () => collected() === 1, 30_000);
  const n = IDLE_GC_MIN_FILES + 20;
  const names = Array.from({ length: n }, (_, i) => `f${i}`);
  for (const name of names) dropFile(inbox, name, 'x');
  await client.lpush('step.p.main', ...names.map((name) => encodeMessage(messageFor(inbox, name, 'created'))));
  await waitFor('every file processed', () => listFiles(inbox).length === 0 && fs.existsSync(probe), 60_000);
  assert.equal(fs.readFileSync(probe, 'utf8'), 'undefined', 'step code must not see gc');
  await waitFor('the collection once the queue went idle', () => collected() === 2, 30_000);
  const record = worker.records.filter((r) => r.event === 'idle: garbage collected')[1];
  assert.equal(typeof record.gc_ms, 'number');
  assert.ok((record.heap_used_mb as number) > 0);
  // Still a working worker after the collection.
  fs.rmSync(probe);
  dropFile(inbox, 'after', 'x');
  await client.lpush('step.p.main', encodeMessage(messageFor(inbox, 'after', 'created')));
  await waitFor('the file after the collection processed', () => listFiles(inbox).length === 0 && fs.existsSync(probe), 30_000);
  assert.equal(collected(), 2, 'one file is no reason for another full GC');
});
