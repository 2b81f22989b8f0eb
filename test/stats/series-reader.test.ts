// The metrics panel's series reader keeps the buckets that can no longer change: a refresh reads only the last few
// buckets of each step from a real Redis, and shows the same figures as a whole read.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type Redis from 'ioredis';
import { readStepSeries, StepSeriesReader } from '../../runtime/stats/read';
import { statsBucketKey } from '../../runtime/stats/keys';
import { withRedis } from '../helpers/redis-server';

const STEPS = [{ plugin: 'p', step: 'a' }, { plugin: 'p', step: 'b' }];

/** HGETALL calls Redis served since the last call (INFO commandstats). */
async function hgetallCalls(r: Redis): Promise<number> {
  const calls = Number(/cmdstat_hgetall:calls=(\d+)/.exec(await r.info('commandstats'))?.[1] ?? 0);
  await r.config('RESETSTAT');
  return calls;
}

test('a refresh reads only the buckets that may still change, and shows what a whole read shows', async () => {
  await withRedis(async (r) => {
    const now = Date.UTC(2026, 10, 28, 12, 0, 5);
    const nowS = now / 1000 - 5;
    // Traffic 10 minutes ago, 20 s ago and in the current bucket.
    for (const [step, ago, n] of [['a', 600, 3], ['b', 600, 1], ['a', 20, 2], ['b', 0, 4]] as const) {
      await r.hincrby(statsBucketKey('p', step, nowS - ago), 'processed', n);
    }
    const reader = new StepSeriesReader();
    await hgetallCalls(r);
    const first = await reader.read(r, STEPS, { minutes: 15 }, now);
    assert.equal(await hgetallCalls(r), 2 * 90, 'the first read reads every bucket');
    assert.deepEqual(first, await readStepSeries(r, STEPS, { minutes: 15 }, now));
    await hgetallCalls(r);
    assert.deepEqual(first.map((s) => s.points.reduce((n, p) => n + p.processed, 0)), [5, 5]);

    // 5 s later: new counts in the current bucket and in one 20 s old; a settled bucket changed behind its back
    // (which workers never do) shows that the settled ones are not read again.
    await r.hincrby(statsBucketKey('p', 'b', nowS), 'processed', 1);
    await r.hincrby(statsBucketKey('p', 'a', nowS - 20), 'processed', 1);
    await r.hincrby(statsBucketKey('p', 'a', nowS - 600), 'processed', 100);
    const later = await reader.read(r, STEPS, { minutes: 15 }, now + 5000);
    const reads = await hgetallCalls(r);
    assert.ok(reads <= 2 * 5, `${reads} HGETALL for 2 steps: only the buckets of the last 30 s or so`);
    assert.deepEqual(later.map((s) => s.points.reduce((n, p) => n + p.processed, 0)), [6, 6]);
    assert.ok(reader.cachedBuckets > 0 && reader.cachedBuckets <= 2 * 90);

    // 20 minutes on: the old buckets are out of the window and forgotten.
    await reader.read(r, STEPS, { minutes: 15 }, now + 20 * 60_000);
    // Kept: the window's buckets that ended 30 s ago (12:05:10 … 12:19:20, 86 per step), none from before it.
    assert.equal(reader.cachedBuckets, 2 * 86);
    assert.equal((await reader.read(r, STEPS, { minutes: 15 }, now + 20 * 60_000)).flatMap((s) => s.points).reduce((n, p) => n + p.processed, 0), 0);
  });
});
