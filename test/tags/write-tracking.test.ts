// A worker's TagStore notes whether a claim's tags were written while the step ran: a journey's leave event reads
// the tags back from Redis only then. Against a real Redis.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { TagStore } from '../../runtime/tags/tag-store';

test('set, increment, and a move or copy onto a tracked claim count as writes; reads and moves away do not', async (t) => {
  const redis = await startTestRedis();
  const client = new Redis({ path: redis.socket });
  t.after(async () => {
    client.disconnect();
    await redis.stop();
  });
  const tags = new TagStore(client);
  const claims = ['/tmp/claim-a', '/tmp/claim-b', '/tmp/claim-c', '/tmp/claim-d', '/tmp/claim-e'];
  for (const c of claims) tags.track(c);
  await tags.set('/tmp/claim-a', { '0.p.s.kind': 'x' });
  await tags.increment('/tmp/claim-b', '0.p.s.n');
  await tags.set('/tmp/elsewhere', { a: '1' });
  await tags.move('/tmp/elsewhere', '/tmp/claim-c');
  await tags.getAll('/tmp/claim-d');
  await tags.set('/tmp/claim-e', { a: '1' });
  tags.track('/tmp/claim-e'); // tracking starts again at a new claim of the same path
  await tags.move('/tmp/claim-e', '/tmp/next-inbox/e');

  assert.deepEqual(claims.map((c) => tags.untrack(c)), [true, true, true, false, false]);
  assert.equal(tags.untrack('/tmp/claim-a'), true, 'no longer tracked: counted as written, so the tags are read');
  assert.equal(tags.untrack('/tmp/never-tracked'), true);
});
