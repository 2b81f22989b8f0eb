// The directory observer announces new files on the section's queue with MFDATA's message and filters.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis, type TestRedis } from '../helpers/redis-server';
import { dropFile, makeHome, startObserver, waitFor, type Proc, type TestHome } from '../datapath/harness';

interface Setup {
  redis: TestRedis;
  client: Redis;
  t: TestHome;
  dirA: string;
  dirB: string;
  ini: string;
}

async function setup(common: Record<string, string> = {}, extraB: string[] = []): Promise<Setup> {
  const redis = await startTestRedis();
  const t = makeHome();
  const client = new Redis({ path: redis.socket });
  client.on('error', () => undefined);
  const dirA = path.join(t.home.inDir, 'step.p.a');
  const dirB = path.join(t.home.inDir, 'step.p.b');
  fs.mkdirSync(dirA, { recursive: true });
  fs.mkdirSync(dirB, { recursive: true });
  const ini = path.join(t.home.configAutoDir, 'directory_observer.ini');
  fs.writeFileSync(ini, [
    '[common]', `redis_unix_socket = ${redis.socket}`, ...Object.entries(common).map(([k, v]) => `${k} = ${v}`), '',
    '[step_p_a_1]', 'active = true', `directory = ${dirA}`, 'queue = step.p.a', '',
    '[step_p_b_1]', 'active = true', `directory = ${dirB}`, 'queue = step.p.b', ...extraB, '',
    '[inactive]', 'active = false', `directory = ${dirA}`, 'queue = never', '',
  ].join('\n'));
  return { redis, client, t, dirA, dirB, ini };
}

async function teardown(s: Setup, ...procs: Proc[]): Promise<void> {
  await Promise.all(procs.map((p) => p.stop()));
  s.client.disconnect();
  await s.redis.stop();
  s.t.cleanup();
}

async function queued(client: Redis, queue: string): Promise<Array<Record<string, unknown>>> {
  // LPUSH + reading from the right end = arrival order.
  return (await client.lrange(queue, 0, -1)).reverse().map((m) => JSON.parse(m) as Record<string, unknown>);
}

async function waitStarted(p: Proc): Promise<void> {
  await waitFor('observer started', () => p.records.some((r) => r.event === 'directory observer started'));
}

for (const watcher of ['inotifywait', 'fs.watch'] as const) {
  test(`[${watcher}] new files are pushed as MFDATA messages; odd names survive; .t/.tmp/.working and directories are ignored`, async () => {
    const s = await setup();
    const obs = startObserver(s.t, watcher === 'fs.watch' ? { MFDATA_OBSERVER_WATCHER: 'fs.watch' } : {});
    try {
      await waitStarted(obs);
      const names = ['with space.txt', 'unicodé-日本.txt', '-leading-dash', 'x'.repeat(251) + '.bin', 'new\nline'];
      for (const n of names) dropFile(s.dirA, n, 'content');
      fs.writeFileSync(path.join(s.dirA, 'partial.t'), 'x');
      fs.writeFileSync(path.join(s.dirA, 'partial.tmp'), 'x');
      fs.writeFileSync(path.join(s.dirA, 'busy.working'), 'x');
      fs.mkdirSync(path.join(s.dirA, 'subdir'));
      fs.writeFileSync(path.join(s.dirA, 'subdir', 'inside'), 'x');
      fs.writeFileSync(path.join(s.dirB, 'written-in-place'), 'x');
      await waitFor('all events queued', async () => (await s.client.llen('step.p.a')) >= names.length && (await s.client.llen('step.p.b')) >= 1);
      await new Promise((r) => setTimeout(r, 200));
      const a = await queued(s.client, 'step.p.a');
      assert.deepEqual(a.map((m) => m.filename).sort(), [...names].sort());
      for (const m of a) {
        assert.equal(m.directory, s.dirA);
        assert.equal(m.event, 'created');
        assert.equal(typeof m.event_timestamp, 'number');
      }
      assert.deepEqual((await queued(s.client, 'step.p.b')).map((m) => m.filename), ['written-in-place']);
      assert.equal(await s.client.exists('never'), 0);
      // Python-compatible bytes: ", " separators and non-ASCII escaped.
      const raw = (await s.client.lrange('step.p.a', 0, -1)).find((m) => m.includes('unicod')) ?? '';
      assert.match(raw, /^\{"directory": ".*", "filename": "unicod\\u00e9-\\u65e5\\u672c\.txt", "event": "created", "event_timestamp": \d+(\.\d+)?\}$/);
    } finally {
      await teardown(s, obs);
    }
  });
}

test('start-up rescan pushes waiting files oldest first as "exists", within poll_queue_limit', async () => {
  const s = await setup({ poll_queue_limit: '3' });
  const now = Date.now() / 1000;
  for (const [i, n] of ['c', 'a', 'd', 'b', 'e'].entries()) {
    const f = dropFile(s.dirA, n, n);
    fs.utimesSync(f, now - 100 + i, now - 100 + i);
  }
  dropFile(s.dirA, 'ignored.t', 'x');
  const obs = startObserver(s.t);
  try {
    await waitStarted(obs);
    await waitFor('rescan pushed', async () => (await s.client.llen('step.p.a')) === 3);
    const a = await queued(s.client, 'step.p.a');
    assert.deepEqual(a.map((m) => m.filename), ['c', 'a', 'd']);
    assert.ok(a.every((m) => m.event === 'exists'));
  } finally {
    await teardown(s, obs);
  }
});

test('forced_poll announces files again; SIGTERM exits cleanly', async () => {
  const s = await setup({ forced_poll: '1' });
  dropFile(s.dirA, 'waiting', 'x');
  const obs = startObserver(s.t);
  try {
    await waitStarted(obs);
    await waitFor('forced poll pushed the file twice', async () => (await s.client.llen('step.p.a')) >= 2, 5000);
    assert.equal(await obs.stop('SIGTERM'), 0);
  } finally {
    await teardown(s, obs);
  }
});

test('a deleted then re-created directory is watched again, and files already in it are announced', async () => {
  const s = await setup();
  const obs = startObserver(s.t);
  try {
    await waitStarted(obs);
    fs.rmSync(s.dirA, { recursive: true });
    await waitFor('observer saw the directory go', () => obs.records.some((r) => r.event === 'watched directory disappeared; watching for it to come back'));
    fs.mkdirSync(s.dirA);
    dropFile(s.dirA, 'early', 'x');
    await waitFor('file of the re-created directory announced', async () => (await queued(s.client, 'step.p.a')).some((m) => m.filename === 'early'));
    await waitFor('watch restarted', () => obs.records.some((r) => r.event === 'watched directory is back'));
    await new Promise((r) => setTimeout(r, 300));
    dropFile(s.dirA, 'late', 'x');
    await waitFor('later file announced by the new watch', async () => (await queued(s.client, 'step.p.a')).some((m) => m.filename === 'late'));
    // The other directory kept working throughout.
    dropFile(s.dirB, 'other', 'x');
    await waitFor('other directory still watched', async () => (await s.client.llen('step.p.b')) === 1);
  } finally {
    await teardown(s, obs);
  }
});

test('"only" and "ignore" filters apply per section', async () => {
  const s = await setup({}, ['only = ^.*\\.csv$;^keep', 'ignore = ^keep-not']);
  const obs = startObserver(s.t);
  try {
    await waitStarted(obs);
    for (const n of ['a.csv', 'b.txt', 'keep-me', 'keep-not-me', 'c.csv.working']) dropFile(s.dirB, n, 'x');
    dropFile(s.dirB, 'z.csv', 'x');
    await waitFor('last file queued', async () => (await queued(s.client, 'step.p.b')).some((m) => m.filename === 'z.csv'));
    assert.deepEqual((await queued(s.client, 'step.p.b')).map((m) => m.filename), ['a.csv', 'keep-me', 'z.csv']);
  } finally {
    await teardown(s, obs);
  }
});

test('Redis stopped and restarted empty: files that arrived meanwhile are announced once it is back', async () => {
  const s = await setup();
  const obs = startObserver(s.t);
  try {
    await waitStarted(obs);
    const socket = s.redis.socket;
    const dir = s.redis.dir;
    s.redis.process.kill('SIGKILL');
    await new Promise((r) => s.redis.process.once('exit', r));
    dropFile(s.dirA, 'during-outage', 'x');
    await new Promise((r) => setTimeout(r, 300));
    const { spawn } = await import('node:child_process');
    const again = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    try {
      s.client.disconnect();
      s.client = new Redis({ path: socket });
      s.client.on('error', () => undefined);
      await waitFor('file announced after Redis came back', async () => (await queued(s.client, 'step.p.a').catch(() => [])).some((m) => m.filename === 'during-outage'), 15_000);
    } finally {
      again.kill('SIGTERM');
      await new Promise((r) => again.once('exit', r));
    }
  } finally {
    await obs.stop();
    s.client.disconnect();
    s.t.cleanup();
    fs.rmSync(s.redis.dir, { recursive: true, force: true });
  }
});
