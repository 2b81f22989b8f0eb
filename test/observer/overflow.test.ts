// After an inotify queue overflow, the observer's rescan stops at poll_queue_limit and then catches up as the queue
// drains, until every file on disk was announced — without a forced_poll, and without pushing a name twice as "exists".
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { childPids } from '../helpers/processes';
import { dropFile, makeHome, startObserver, waitFor } from '../datapath/harness';

/** Files dropped while inotifywait is paused: each makes 2 events (.t closed, moved in), well above the kernel's 16,384. */
const FILES = 12000;
const LIMIT = 1000;

test(`an overflow with ${FILES} files waiting and poll_queue_limit = ${LIMIT}: every file is announced promptly, none twice by the rescans`, { timeout: 120_000 }, async () => {
  const redis = await startTestRedis();
  const t = makeHome();
  // tmpfs when there is one: the test is about the watcher, not about how fast this disk creates inodes.
  const base = fs.existsSync('/dev/shm') ? fs.mkdtempSync(path.join('/dev/shm', 'mfdata-overflow-')) : fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-overflow-'));
  const dir = path.join(base, 'step.p.a');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(t.home.configAutoDir, 'directory_observer.ini'), [
    '[common]', `redis_unix_socket = ${redis.socket}`, 'forced_poll = 0', `poll_queue_limit = ${LIMIT}`, '',
    '[step_p_a_1]', 'active = true', `directory = ${dir}`, 'queue = step.p.a', '',
  ].join('\n'));
  const client = new Redis({ path: redis.socket });
  client.on('error', () => undefined);
  const consumer = new Redis({ path: redis.socket });
  consumer.on('error', () => undefined);
  const obs = startObserver(t);
  let consuming = true;
  const seen = new Set<string>();
  const exists = new Map<string, number>();
  let maxQueue = 0;
  try {
    await waitFor('observer started', () => obs.records.some((r) => r.event === 'directory observer started'));
    const [inotify] = childPids(obs.child.pid ?? -1, 'inotifywait');
    assert.ok(inotify, 'the observer runs inotifywait');
    process.kill(inotify, 'SIGSTOP');
    try {
      for (let i = 0; i < FILES; i++) dropFile(dir, `f${String(i).padStart(6, '0')}`, `file ${i}\n`);
    } finally {
      process.kill(inotify, 'SIGCONT');
    }
    // A worker's part: pop one message at a time and take the file (unlink; a second message for it finds nothing).
    const consumed = (async () => {
      while (consuming) {
        const popped = await consumer.brpop('step.p.a', 1);
        if (!popped) continue;
        const m = JSON.parse(popped[1]) as { filename: string; event: string };
        if (m.event === 'exists') exists.set(m.filename, (exists.get(m.filename) ?? 0) + 1);
        seen.add(m.filename);
        fs.rmSync(path.join(dir, m.filename), { force: true });
      }
    })();
    await waitFor('overflow reported', () => obs.records.some((r) => r.event === 'inotify event queue overflow: rescanning every directory'), 30_000);
    await waitFor('every file announced and taken', async () => {
      maxQueue = Math.max(maxQueue, await client.llen('step.p.a'));
      return fs.readdirSync(dir).length === 0;
    }, 90_000, 100);
    consuming = false;
    await consumed;
    assert.equal(seen.size, FILES, 'every file was announced');
    assert.ok(obs.records.some((r) => r.event === 'rescan stopped at poll_queue_limit: rescanning again each time the queue drains to half of it'),
      'the overflow rescan hit the limit (else this test proves nothing)');
    await waitFor('catch-up over', () => obs.records.some((r) => r.event === 'caught up: every file of the directory was announced'), 10_000);
    const twice = [...exists].filter(([, n]) => n > 1);
    assert.deepEqual(twice, [], 'no name pushed twice as "exists" by the overflow rescan and its catch-up');
    // Rescans never fill the queue past the limit; events read from the kernel queue (up to 16,384) are pushed as they come.
    const rounds = obs.records.filter((r) => r.event === 'rescan pushed files');
    assert.ok(rounds.length >= 2, `several rounds (${rounds.length})`);
    assert.ok(rounds.every((r) => Number(r.files) <= LIMIT), 'no round pushed more than poll_queue_limit');
  } finally {
    consuming = false;
    await obs.stop();
    client.disconnect();
    consumer.disconnect();
    await redis.stop();
    t.cleanup();
    fs.rmSync(base, { recursive: true, force: true });
  }
});
