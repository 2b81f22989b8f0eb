// LeanRedis through a Redis outage: SIGKILL the server and start it again on the same socket; nothing is dropped.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectLeanRedis } from '../../runtime/redis/connect';
import type { LeanRedis } from '../../runtime/redis/client';
import { KillableRedis } from './killable-redis';

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('LeanRedis reconnection', () => {
  let server: KillableRedis;
  const clients: LeanRedis[] = [];
  const outages: Error[] = [];

  function connect(name: string): LeanRedis {
    const c = connectLeanRedis({ socket: server.socket }, { name, onOutage: (err) => outages.push(err) });
    clients.push(c);
    return c;
  }

  beforeEach(async () => {
    outages.length = 0;
    server = new KillableRedis();
    await server.start();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await server.stop();
  });

  it('commands issued during the outage resolve after it, in order; one outage report; the name is set again', async () => {
    const redis = connect('mfdata:test:outage');
    assert.equal(await redis.call('PING'), 'PONG');
    await server.kill();
    await waitFor('the client to notice the outage', () => redis.status !== 'ready');
    const done: number[] = [];
    const pending = Array.from({ length: 50 }, (_, i) => redis.rpush('during', `v${i}`).then((n) => { done.push(n); return n; }));
    // Several failed attempts while it is down (backoff 50, 100, 150 … ms).
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(done.length, 0);
    await server.start();
    const lengths = await Promise.all(pending);
    assert.deepEqual(lengths, Array.from({ length: 50 }, (_, i) => i + 1));
    assert.deepEqual(done, lengths);
    assert.deepEqual(await redis.call('LRANGE', 'during', 0, -1), Array.from({ length: 50 }, (_, i) => `v${i}`));
    assert.equal(outages.length, 1, `one report per outage, got: ${outages.map((e) => e.message).join('; ')}`);
    assert.equal(await redis.call('CLIENT', 'GETNAME'), 'mfdata:test:outage');
  });

  it('a blocking BLMPOP in flight is re-sent after the restart and returns a value pushed later', async () => {
    const blocking = connect('mfdata:test:pop');
    assert.equal(await blocking.call('PING'), 'PONG');
    const popped = blocking.call('BLMPOP', 0, 1, 'q', 'RIGHT', 'COUNT', 16);
    await new Promise((r) => setTimeout(r, 100));
    await server.kill();
    await waitFor('the client to notice the outage', () => blocking.status !== 'ready');
    await server.start();
    const pusher = connect('mfdata:test:push');
    // Re-sent: the server shows our client blocked again before anything is pushed.
    await waitFor('BLMPOP blocked again after the restart', async () => /cmd=blmpop/.test(String(await pusher.call('CLIENT', 'LIST'))));
    await pusher.lpush('q', 'a', 'b');
    assert.deepEqual(await popped, ['q', ['a', 'b']]);
  });

  it('CLIENT UNBLOCK of a pending BLMPOP returns null at once', async () => {
    const blocking = connect('mfdata:test:unblock');
    const control = connect('mfdata:test:control');
    const id = await blocking.client('ID');
    const popped = blocking.call('BLMPOP', 0, 1, 'empty', 'RIGHT', 'COUNT', 16);
    await waitFor('BLMPOP blocked', async () => /cmd=blmpop/.test(String(await control.call('CLIENT', 'LIST'))));
    assert.equal(await control.client('UNBLOCK', id), 1);
    assert.equal(await popped, null);
    // The connection goes on normally.
    assert.equal(await blocking.call('PING'), 'PONG');
  });

  it('a write refused with READONLY (a replica) is sent again after a reconnect, and applied once it is a master', async () => {
    const redis = connect('mfdata:test:readonly');
    const control = connect('mfdata:test:admin');
    // A replica of a master that is not there (port 1: nothing listens, no real traffic): it refuses writes.
    assert.equal(await control.call('REPLICAOF', '127.0.0.1', 1), 'OK');
    let settled = false;
    const write = redis.rpush('ro', 'x').finally(() => { settled = true; });
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(settled, false, 'a READONLY reply does not fail the command');
    assert.equal(await control.call('REPLICAOF', 'NO', 'ONE'), 'OK');
    assert.equal(await write, 1);
    assert.deepEqual(await control.call('LRANGE', 'ro', 0, -1), ['x']);
  });

  it('disconnect() during an outage fails what is pending at once', async () => {
    const redis = connect('mfdata:test:quit');
    assert.equal(await redis.call('PING'), 'PONG');
    await server.kill();
    await waitFor('the client to notice the outage', () => redis.status !== 'ready');
    const lost = redis.call('PING');
    redis.disconnect();
    await assert.rejects(lost, /Connection is closed/);
    assert.equal(redis.status, 'end');
  });
});
