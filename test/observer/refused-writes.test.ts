// A Redis that stays connected but refuses writes (here OOM past maxmemory; MISCONF on a full disk behaves alike): the
// observer's refused pushes are recovered by a rescan a second later, not by the next forced_poll.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { dropFile, makeHome, startObserver, waitFor } from '../datapath/harness';

test('files whose push Redis refused are announced once it accepts writes again, with forced_poll = 0', { timeout: 60_000 }, async () => {
  const redis = await startTestRedis();
  const t = makeHome();
  const dir = path.join(t.home.inDir, 'step.p.a');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(t.home.configAutoDir, 'directory_observer.ini'), [
    '[common]', `redis_unix_socket = ${redis.socket}`, 'forced_poll = 0', '',
    '[step_p_a_1]', 'active = true', `directory = ${dir}`, 'queue = step.p.a', '',
  ].join('\n'));
  const client = new Redis({ path: redis.socket });
  client.on('error', () => undefined);
  const obs = startObserver(t);
  try {
    await waitFor('observer started', () => obs.records.some((r) => r.event === 'directory observer started'));
    await client.config('SET', 'maxmemory', '1');
    for (let i = 0; i < 5; i++) dropFile(dir, `refused-${i}`, 'x');
    await waitFor('the refused push reported', () => obs.records.some((r) => r.event === 'cannot push an event; a rescan in a second recovers it'), 20_000);
    assert.equal(await client.llen('step.p.a'), 0, 'nothing queued while Redis refuses writes');
    // The retry rescan is refused too, and planned again: still nothing lost once writes are accepted.
    await new Promise((r) => setTimeout(r, 1500));
    await client.config('SET', 'maxmemory', '0');
    await waitFor('every refused file announced', async () => {
      const names = new Set((await client.lrange('step.p.a', 0, -1)).map((m) => (JSON.parse(m) as { filename: string }).filename));
      return [0, 1, 2, 3, 4].every((i) => names.has(`refused-${i}`));
    }, 20_000, 100);
  } finally {
    await obs.stop();
    client.disconnect();
    await redis.stop();
    t.cleanup();
  }
});
