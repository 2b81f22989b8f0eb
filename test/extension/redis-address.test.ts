// Where the extension's views read Redis: <home>/var/redis.sock by default, else what mfdata.ini's [redis] says.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { RedisQueueInspector } from '../../src/runtime/queues';
import { RedisAddressResolver, runtimeRedisAddress } from '../../src/runtime/redisAddress';
import { startTestRedis } from '../helpers/redis-server';

function workspace(t: { after(fn: () => void): void }, ini?: string): { root: string; home: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-redis-address-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  if (ini !== undefined) fs.writeFileSync(path.join(root, 'mfdata.ini'), ini);
  return { root, home: path.join(root, '.mfdata') };
}

test('without mfdata.ini (or without [redis]) the views read the runtime\'s own Redis at <home>/var/redis.sock', (t) => {
  const bare = workspace(t);
  assert.deepEqual(runtimeRedisAddress(bare.root, bare.home), { socket: path.join(bare.home, 'var/redis.sock') });
  const other = workspace(t, '[log]\nminimal_level = DEBUG\n');
  assert.deepEqual(runtimeRedisAddress(other.root, other.home), { socket: path.join(other.home, 'var/redis.sock') });
});

test('an external Redis from mfdata.ini [redis] host/port is read over TCP; our own Redis on a configured unix_socket is read there', (t) => {
  const external = workspace(t, '[redis]\nhost = redis.example.invalid\nport = 6380\n');
  assert.deepEqual(runtimeRedisAddress(external.root, external.home), { host: 'redis.example.invalid', port: 6380 });
  const defaultPort = workspace(t, '[redis]\nhost = redis.example.invalid\n');
  assert.deepEqual(runtimeRedisAddress(defaultPort.root, defaultPort.home), { host: 'redis.example.invalid', port: 6379 });
  const ownSocket = workspace(t, '[redis]\nunix_socket = /run/mfdata/redis.sock\n');
  assert.deepEqual(runtimeRedisAddress(ownSocket.root, ownSocket.home), { socket: '/run/mfdata/redis.sock' });
  // A relative socket is the project folder's, as the runtime reads it, whatever the extension host's cwd.
  const relative = workspace(t, '[redis]\nunix_socket = run/redis.sock\n');
  assert.deepEqual(runtimeRedisAddress(relative.root, relative.home), { socket: path.join(relative.root, 'run/redis.sock') });
});

test('the Queues view reads a real external Redis named by mfdata.ini (its unix socket wins over host/port), and follows an edit of mfdata.ini', async (t) => {
  const external = await startTestRedis();
  const own = await startTestRedis();
  const r = new Redis({ path: external.socket });
  const resolver = new RedisAddressResolver();
  const ws = workspace(t, `[redis]\nhost = localhost\nport = 6390\nunix_socket = ${external.socket}\n`);
  const inspector = new RedisQueueInspector(() => resolver.address(ws.root, ws.home));
  t.after(async () => {
    inspector.dispose();
    r.disconnect();
    await external.stop();
    await own.stop();
  });
  await r.lpush('step.p.main', 'one', 'two');
  await r.set('counter.p.main', '7');
  assert.deepEqual(await inspector.queues(), [{ name: 'step.p.main', length: 2 }]);
  assert.deepEqual(await inspector.counters([{ plugin: 'p', step: 'main' }]), new Map([['p.main', { processed: 7, failed: 0 }]]));

  // The operator points mfdata.ini at another server: the next refresh reads that one.
  fs.writeFileSync(path.join(ws.root, 'mfdata.ini'), `[redis]\nunix_socket = ${own.socket}\n`);
  const later = new Date(Date.now() + 2000);
  fs.utimesSync(path.join(ws.root, 'mfdata.ini'), later, later);
  assert.deepEqual(resolver.address(ws.root, ws.home), { socket: own.socket });
  assert.deepEqual(await inspector.queues(), []);
});

test('an unreachable configured Redis is named in the error', async (t) => {
  const ws = workspace(t, '[redis]\nhost = 127.0.0.1\nport = 1\n');
  const resolver = new RedisAddressResolver();
  const inspector = new RedisQueueInspector(() => resolver.address(ws.root, ws.home));
  t.after(() => inspector.dispose());
  await assert.rejects(inspector.queues(), /Redis at 127\.0\.0\.1:1: listing step queues failed/);
});
