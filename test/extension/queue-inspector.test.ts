// The Queues view's Redis side, against a real redis-server: step lists and lengths, peek order, purge, counters.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { RedisQueueInspector } from '../../src/runtime/queues';
import { emptySnapshot, pluginNodes } from '../../src/views/model';
import { StepState } from '../../runtime/queue/step-state';
import { TRACE_TRASH_KEEP } from '../../runtime/queue/keys';
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

test('the Plugins view shows processed from counter.<p>.<s> and failed from failed.<p>.<s>, a move counted too', async (t) => {
  const redis = await startTestRedis();
  const r = new Redis({ path: redis.socket });
  const inspector = new RedisQueueInspector(() => redis.socket);
  t.after(async () => { inspector.dispose(); r.disconnect(); await redis.stop(); });

  await r.set('counter.p.main', '7');
  // The runtime's own bookkeeping of two failures: one kept in the trash, one moved to another step.
  const state = new StepState(r, 'p', 'main');
  await state.traceFailure(TRACE_TRASH_KEEP);
  await state.traceFailure('p/quarantine');
  await state.trace('p/next'); // routing, not a failure

  const counters = await inspector.counters([{ plugin: 'p', step: 'main' }, { plugin: 'p', step: 'idle' }]);
  assert.deepEqual(counters.get('p.main'), { processed: 7, failed: 2 });
  assert.deepEqual(counters.get('p.idle'), { processed: 0, failed: 0 });

  const snap = emptySnapshot({
    home: '/h', pid: 1, version: '0', startedAt: 0, state: 'running',
    watchers: [{ name: 'step.p.main', kind: 'step', plugin: 'p', step: 'main', state: 'running', numprocesses: 1, processes: [], restarts: 0 }],
  });
  snap.counters = counters;
  const [plugin] = pluginNodes(snap);
  assert.equal(plugin.children?.[0].description, '7 processed · 2 failed · queue 0 · 0/1 workers');
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
