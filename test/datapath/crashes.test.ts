// End to end under trouble: a worker SIGKILLed mid-run, redis-server killed and restarted mid-run. No file is lost.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { listFiles, waitFor } from './harness';
import { checkDelivered, produce, startPipeline } from './pipeline';

test('kill -9 of a worker in the middle of 2,000 files: after its restart no file is lost and none is stuck in tmp/', async (t) => {
  const p = await startPipeline({ delay_ms: '3' });
  t.after(() => p.close());
  const observer = p.startObserver();
  await waitFor('observer started', () => observer.records.some((r) => r.event === 'directory observer started'));
  const victim = p.startWorker('main');
  p.startWorker('main');
  p.startWorker('store');
  p.startWorker('store');
  const expected = produce(p.inbox, 2000);
  await waitFor('a third of the files delivered', () => listFiles(p.out).length >= 700, 30_000, 20);
  const tmp = path.join(p.t.home.inDir, 'tmp', 'two.main');
  await waitFor('the victim holds a claim', () => listFiles(tmp).length > 0, 5000, 1);
  victim.child.kill('SIGKILL');
  await victim.exited;
  // The supervisor would restart it: so do we.
  const restarted = p.startWorker('main');
  await waitFor('2,000 files delivered', () => listFiles(p.out).length >= 2000, 40_000, 100);
  await waitFor('nothing left in tmp/, inboxes or trash', () => p.leftovers().length === 0, 10_000).catch(() => undefined);
  assert.deepEqual(p.leftovers(), [], 'nothing left in tmp/, inboxes or trash');
  assert.deepEqual(checkDelivered(p.out, expected), []);
  assert.ok(restarted.records.some((r) => r.event === 'recovered the claims of dead workers'), 'the restarted worker recovered the claim');
});

test('redis-server killed and restarted (empty) in the middle of a run: no file lost', async (t) => {
  const p = await startPipeline({ delay_ms: '1' });
  t.after(() => p.close());
  const observer = p.startObserver();
  await waitFor('observer started', () => observer.records.some((r) => r.event === 'directory observer started'));
  for (let i = 0; i < 2; i++) {
    p.startWorker('main');
    p.startWorker('store');
  }
  const expected = produce(p.inbox, 1000);
  await waitFor('some files delivered', () => listFiles(p.out).length >= 200, 30_000, 10);
  await p.redis.kill('SIGKILL');
  const more = produce(p.inbox, 500, 1000);
  await new Promise((r) => setTimeout(r, 500));
  await p.redis.start();
  for (const [k, v] of more) expected.set(k, v);
  await waitFor('1,500 files delivered', () => listFiles(p.out).length >= 1500, 40_000, 100);
  await waitFor('nothing left behind', () => p.leftovers().length === 0, 10_000);
  assert.deepEqual(checkDelivered(p.out, expected), []);
  for (const proc of p.procs) assert.equal(proc.child.exitCode, null, proc.stderr());
});
