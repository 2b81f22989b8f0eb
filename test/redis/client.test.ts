// LeanRedis against a real redis-server: commands, pipelines, MULTI/EXEC, Lua scripts, and ioredis's result shapes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { LeanRedis } from '../../runtime/redis/client';
import { ReplyError } from '../../runtime/redis/errors';
import type { DataRedis } from '../../runtime/redis/types';
import { startTestRedis, type TestRedis } from '../helpers/redis-server';

/** Compile-time: ioredis's client fits the narrow interface the worker modules take, as ours does. */
export const ioredisFits = (r: Redis): DataRedis => r;
export const leanFits = (r: LeanRedis): DataRedis => r;

interface Scripted {
  sum(...args: Array<string | number>): Promise<number>;
  broken(...args: Array<string | number>): Promise<unknown>;
  keysFirst(...args: Array<string | number>): Promise<string[]>;
}

describe('LeanRedis', () => {
  let server: TestRedis;
  let redis: LeanRedis;

  before(async () => {
    server = await startTestRedis();
    redis = new LeanRedis({ socket: server.socket }, { name: 'mfdata:test:lean' });
  });
  after(async () => {
    await redis?.quit();
    await server?.stop();
  });

  it('runs the typed commands with ioredis\'s result types', async () => {
    assert.equal(await redis.set('s', 'zoë 😀'), 'OK');
    assert.equal(await redis.get('s'), 'zoë 😀');
    assert.equal(await redis.get('nothing'), null);
    assert.equal(await redis.incr('c'), 1);
    assert.equal(await redis.incrby('c', 41), 42);
    assert.equal(await redis.expire('c', 100), 1);
    assert.equal(await redis.lpush('l', 'b', 'a'), 2);
    assert.equal(await redis.rpush('l', 'c'), 3);
    assert.equal(await redis.llen('l'), 3);
    assert.deepEqual(await redis.call('LRANGE', 'l', 0, -1), ['a', 'b', 'c']);
    assert.equal(await redis.type('l'), 'list');
    assert.deepEqual(await redis.brpop('l', 1), ['l', 'c']);
    assert.equal(await redis.call('HSET', 'h', 'x', '1', 'é', ''), 2);
    assert.equal(await redis.hget('h', 'x'), '1');
    assert.equal(await redis.hget('h', 'y'), null);
    assert.deepEqual(await redis.hgetall('h'), { x: '1', é: '' });
    assert.deepEqual(await redis.hgetall('no-hash'), {});
    assert.equal(await redis.del('l', 'h', 'none'), 2);
    assert.equal(await redis.call('CLIENT', 'GETNAME'), 'mfdata:test:lean');
    assert.equal(typeof (await redis.client('ID')), 'number');
  });

  it('rejects an error reply with Redis\'s message, naming the command', async () => {
    await redis.set('str', 'v');
    const err = await redis.call('LPUSH', 'str', 'x').then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ReplyError);
    assert.match(err.message, /^WRONGTYPE/);
    assert.equal(err.name, 'ReplyError');
    assert.equal(err.command, 'LPUSH');
    // The connection goes on.
    assert.equal(await redis.get('str'), 'v');
  });

  it('answers 1000 pipelined commands in order, errors in place', async () => {
    const p = redis.pipeline();
    for (let i = 0; i < 1000; i++) p.call('RPUSH', 'pl', `v${i}`);
    p.call('HSET', 'pl', 'f', 'v');
    const results = await p.exec();
    assert.ok(results);
    assert.equal(results.length, 1001);
    results.slice(0, 1000).forEach(([err, n], i) => {
      assert.equal(err, null);
      assert.equal(n, i + 1);
    });
    assert.ok(results[1000][0] instanceof ReplyError);
    assert.deepEqual(await redis.call('LRANGE', 'pl', 0, 2), ['v0', 'v1', 'v2']);
  });

  it('runs MULTI/EXEC as one transaction with [err, result] pairs; a refused command aborts it', async () => {
    const results = await redis.multi().incrby('m', 5).expire('m', 60).hset('mh', { a: 1, b: 'two' }).hincrby('mh', 'a', 2).hincrbyfloat('mh', 'f', 0.5).sadd('ms', 'x', 'y').exec();
    assert.deepEqual(results, [[null, 5], [null, 1], [null, 2], [null, 3], [null, '0.5'], [null, 2]]);
    assert.deepEqual(await redis.hgetall('mh'), { a: '3', b: 'two', f: '0.5' });
    // A runtime error inside EXEC is reported in its slot; the others are applied.
    await redis.set('sv', 'x');
    const mixed = await redis.multi().incrby('m', 1).hincrby('sv', 'f', 1).exec();
    assert.ok(mixed);
    assert.deepEqual(mixed[0], [null, 6]);
    assert.ok(mixed[1][0] instanceof ReplyError);
    // A command refused while queuing (wrong arity) discards the whole transaction: EXECABORT with the reason.
    const aborted = await redis.multi().incrby('m', 1).call('GET').exec().then(() => undefined, (e: unknown) => e);
    assert.ok(aborted instanceof ReplyError);
    assert.match(aborted.message, /^EXECABORT/);
    assert.equal(aborted.previousErrors?.length, 1);
    assert.match(aborted.previousErrors?.[0]?.message ?? '', /wrong number of arguments/);
    assert.equal(await redis.get('m'), '6');
    assert.deepEqual(await redis.multi().exec(), []);
  });

  it('runs a defined Lua command by EVALSHA, and again by EVAL after SCRIPT FLUSH (NOSCRIPT)', async () => {
    const lua = 'return redis.call("INCRBY", KEYS[1], ARGV[1]) + tonumber(ARGV[2])';
    const sha = createHash('sha1').update(lua).digest('hex');
    redis.defineCommand('sum', { numberOfKeys: 1, lua });
    redis.defineCommand('keysFirst', { lua: 'return {KEYS[1], ARGV[1]}' });
    const scripted = redis as unknown as Scripted;
    assert.equal(await scripted.sum('sk', 10, 1), 11);
    assert.deepEqual(await redis.call('SCRIPT', 'EXISTS', sha), [1]);
    await redis.call('SCRIPT', 'FLUSH');
    assert.deepEqual(await redis.call('SCRIPT', 'EXISTS', sha), [0]);
    // NOSCRIPT → EVAL: the call succeeds and the script is known again for the next EVALSHA.
    assert.equal(await scripted.sum('sk', 10, 1), 21);
    assert.deepEqual(await redis.call('SCRIPT', 'EXISTS', sha), [1]);
    assert.equal(await scripted.sum('sk', 1, 0), 21);
    // numberOfKeys left out: the caller passes it.
    assert.deepEqual(await scripted.keysFirst(1, 'k1', 'a1'), ['k1', 'a1']);
  });

  it('rejects a Lua error with the script\'s own error', async () => {
    redis.defineCommand('broken', { numberOfKeys: 0, lua: 'return redis.call("NOPE")' });
    const err = await (redis as unknown as Scripted).broken().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ReplyError);
    assert.match(err.message, /Unknown Redis command|unknown command/i);
    assert.match(err.message, /script/);
  });

  it('after quit(), commands fail at once; disconnect() fails those pending', async () => {
    const other = new LeanRedis({ socket: server.socket });
    const blocked = other.call('BLPOP', 'never', 0);
    other.disconnect();
    await assert.rejects(blocked, /Connection is closed/);
    const third = new LeanRedis({ socket: server.socket });
    const before = third.call('PING');
    assert.equal(await third.quit(), 'OK');
    assert.equal(await before, 'PONG');
    await assert.rejects(third.call('PING'), /Connection is closed/);
  });
});
