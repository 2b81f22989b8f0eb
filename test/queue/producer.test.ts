// The queue producer batches the pushes of one event-loop turn into one LPUSH per queue; consumers still see FIFO.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { QueueProducer } from '../../runtime/queue/producer';
import { decodeMessage, messageFor } from '../../runtime/queue/message';

test('pushes made in one turn (more than one LPUSH worth) and in later turns are popped oldest first, per queue', async (t) => {
  const redis = await startTestRedis();
  const client = new Redis({ path: redis.socket });
  const producer = new QueueProducer({ socket: redis.socket }, 'test-producer');
  t.after(async () => {
    client.disconnect();
    await producer.close();
    await redis.stop();
  });
  const pushes: Array<Promise<void>> = [];
  // 2,500 in one turn, alternating between two queues (so each queue gets more than one batch of 1,000).
  for (let i = 0; i < 2500; i++) pushes.push(producer.push(i % 2 === 0 ? 'q.a' : 'q.b', messageFor('/in', `f${i}`, 'created')));
  await Promise.all(pushes);
  // Then one per turn.
  for (let i = 2500; i < 2510; i++) await producer.push('q.a', messageFor('/in', `f${i}`, 'exists'));
  await producer.flush();
  const popAll = async (queue: string): Promise<string[]> => {
    const names: string[] = [];
    for (let raw = await client.rpop(queue); raw !== null; raw = await client.rpop(queue)) names.push(decodeMessage(raw).filename);
    return names;
  };
  const expectedA = [...Array.from({ length: 1250 }, (_, k) => `f${2 * k}`), ...Array.from({ length: 10 }, (_, k) => `f${2500 + k}`)];
  assert.deepEqual(await popAll('q.a'), expectedA);
  assert.deepEqual(await popAll('q.b'), Array.from({ length: 1250 }, (_, k) => `f${2 * k + 1}`));
});

test('a refused LPUSH rejects its pushes; a push held by the server (CLIENT PAUSE WRITE) resolves once Redis answers, and close() waits for it', async (t) => {
  const redis = await startTestRedis();
  const socket = redis.socket;
  const producer = new QueueProducer({ socket }, 'test-producer');
  const client = new Redis({ path: socket });
  t.after(async () => {
    client.disconnect();
    await redis.stop();
  });
  await producer.length('q');
  // Refused by the server (wrong type): every push of the batch is rejected with Redis's error.
  await client.set('not-a-list', 'x');
  await assert.rejects(producer.push('not-a-list', messageFor('/in', 'x', 'created')), /WRONGTYPE/);
  let resolved = false;
  await client.call('CLIENT', 'PAUSE', '300', 'WRITE');
  const pending = producer.push('q', messageFor('/in', 'late', 'created')).then(() => { resolved = true; });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(resolved, false);
  await producer.close();
  await pending;
  assert.equal(resolved, true);
  assert.equal(decodeMessage((await client.rpop('q')) as string).filename, 'late');
});
