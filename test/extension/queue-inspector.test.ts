// The Queues view's Redis side, against a real redis-server: step lists and lengths, peek order, purge, counters.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { RedisQueueInspector, failureTraceStep } from '../../src/runtime/queues';
import { startTestRedis } from '../helpers/redis-server';

const message = (filename: string): string => JSON.stringify({ directory: '/in/step.p.main', filename, event: 'created', event_timestamp: 1 });

test('lists every step.* list with its length, peeks the next messages first and purges one queue', async (t) => {
  const redis = await startTestRedis();
  const r = new Redis({ path: redis.socket });
  const inspector = new RedisQueueInspector(() => redis.socket);
  t.after(async () => { inspector.dispose(); r.disconnect(); await redis.stop(); });

  // Producers LPUSH: a.txt is the oldest, so a worker's BRPOP takes it first.
  await r.lpush('step.p.main', message('a.txt'), message('b.txt'), message('c.txt'));
  await r.lpush('step.p.archive', message('z.txt'));
  await r.set('step.not-a-list', 'x');

  assert.deepEqual(await inspector.queues(), [{ name: 'step.p.archive', length: 1 }, { name: 'step.p.main', length: 3 }]);
  assert.deepEqual((await inspector.peek('step.p.main', 2)).map((m) => m.filename), ['a.txt', 'b.txt']);

  assert.equal(await inspector.purge('step.p.main'), 3);
  assert.equal(await r.exists('step.p.main'), 0);
  assert.equal(await r.llen('step.p.archive'), 1, 'the other queue is untouched');
});

test('counts processed files from counter.<plugin>.<step> and failures from the failure traces', async (t) => {
  const redis = await startTestRedis();
  const r = new Redis({ path: redis.socket });
  const inspector = new RedisQueueInspector(() => redis.socket);
  t.after(async () => { inspector.dispose(); r.disconnect(); await redis.stop(); });

  await r.set('counter.p.main', '7');
  await r.set('trace@2026-01-01~p/main~>trash/keep', '2');
  await r.set('trace@2026-01-02~p/main~>delete/giveup', '1');
  await r.set('trace@2026-01-02~p/main~q/next', '4'); // routing, not a failure

  const counters = await inspector.counters([{ plugin: 'p', step: 'main' }, { plugin: 'p', step: 'idle' }]);
  assert.deepEqual(counters.get('p.main'), { processed: 7, failed: 3 });
  assert.deepEqual(counters.get('p.idle'), { processed: 0, failed: 0 });
});

test('a failure trace names the step it counts against', () => {
  assert.equal(failureTraceStep('trace@2026-01-01~my_plugin/main~>trash/keep'), 'my_plugin.main');
  assert.equal(failureTraceStep('trace@2026-01-01~<step.p.main~p/main'), undefined);
});

test('reports which socket failed when Redis is not there', async () => {
  const inspector = new RedisQueueInspector(() => '/nonexistent/redis.sock');
  await assert.rejects(inspector.queues(), /\/nonexistent\/redis\.sock: listing step queues failed/);
  inspector.dispose();
});

test('concurrent first calls share one connection (the views load queues and counters at once)', async (t) => {
  const redis = await startTestRedis();
  const inspector = new RedisQueueInspector(() => redis.socket);
  t.after(async () => { inspector.dispose(); await redis.stop(); });
  const [queues, counters] = await Promise.all([inspector.queues(), inspector.counters([{ plugin: 'p', step: 'main' }])]);
  assert.deepEqual(queues, []);
  assert.deepEqual(counters.get('p.main'), { processed: 0, failed: 0 });
});
