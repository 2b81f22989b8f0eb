// End to end: observer + 2 workers per step, as child processes, move 5,000 files through a two-step plugin without loss.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { listFiles, waitFor } from './harness';
import { checkDelivered, produce, startPipeline } from './pipeline';

test('5,000 files through a two-step plugin with 2 workers per step: each ends in exactly one place, content intact', async (t) => {
  const p = await startPipeline();
  t.after(() => p.close());
  const observer = p.startObserver();
  await waitFor('observer started', () => observer.records.some((r) => r.event === 'directory observer started'));
  for (let i = 0; i < 2; i++) {
    p.startWorker('main');
    p.startWorker('store');
  }
  const expected = produce(p.inbox, 5000);
  await waitFor('5,000 files delivered', () => listFiles(p.out).length >= 5000, 50_000, 100);
  await waitFor('nothing left behind', () => p.leftovers().length === 0, 10_000);
  assert.deepEqual(checkDelivered(p.out, expected), []);
  assert.equal(await p.client.get('counter.two.main'), await p.client.get('counter.two.store'));
  assert.ok(Number(await p.client.get('counter.two.main')) >= 5000);
  for (const proc of p.procs) assert.equal(proc.child.exitCode, null, `${proc.stderr()}`);
  const errors = p.procs.flatMap((x) => x.records).filter((r) => r.level === 'error' || r.level === 'critical');
  assert.deepEqual(errors, []);
});
