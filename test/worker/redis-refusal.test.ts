// Redis up but refusing writes (OOM past maxmemory stands in for MISCONF on a full disk): plain and MULTI/EXEC
// refusals are recognised, and whileRefused runs the write again until Redis accepts it; other errors pass through.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { isWriteRefusal, whileRefused } from '../../runtime/worker/redis-refusal';

test('a refused SET and a discarded MULTI are refusals; the write goes through once Redis accepts writes again', { timeout: 30_000 }, async () => {
  const redis = await startTestRedis();
  const client = new Redis({ path: redis.socket });
  try {
    await client.config('SET', 'maxmemory', '1');
    const plain = await client.set('k', 'v').catch((err: unknown) => err);
    assert.ok(isWriteRefusal(plain), `plain SET refused: ${String(plain)}`);
    const multi = await client.multi().set('k', 'v').expire('k', 10).exec().catch((err: unknown) => err);
    assert.ok(isWriteRefusal(multi), `MULTI discarded: ${String(multi)}`);
    assert.equal(isWriteRefusal(await client.call('NOSUCHCOMMAND').catch((err: unknown) => err)), false, 'other reply errors are not refusals');

    let told = 0;
    let attempts = 0;
    const writing = whileRefused(async () => { attempts++; return client.multi().set('k', 'done').exec(); }, () => false, () => { told++; });
    await new Promise((r) => setTimeout(r, 700));
    assert.ok(attempts >= 2, `retried while refused (${attempts} attempts)`);
    await client.config('SET', 'maxmemory', '0');
    await writing;
    assert.equal(await client.get('k'), 'done');
    assert.equal(told, 1, 'the refusal is reported once');

    await client.config('SET', 'maxmemory', '1');
    await assert.rejects(whileRefused(() => client.set('k', 'x'), () => true, () => undefined), /OOM/, 'a refusal while stopping is thrown');
    await client.config('SET', 'maxmemory', '0');
  } finally {
    client.disconnect();
    await redis.stop();
  }
});
