// What a worker does with what it pops: MFDATA producers are understood; bad messages are logged and skipped; SIGTERM finishes the file.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { dropFile, listFiles, makeHome, startWorker, waitFor, writePlugin } from '../datapath/harness';
import { encodeMessage, messageFor } from '../../runtime/queue/message';

const COPY_OUT = `
import * as fs from 'node:fs';
import * as path from 'node:path';
export async function process(file, ctx) {
  if (file.originalBasename.startsWith('slow')) await new Promise((r) => setTimeout(r, 1500));
  fs.mkdirSync(ctx.getCustom('out'), { recursive: true });
  fs.copyFileSync(file.path, path.join(ctx.getCustom('out'), file.originalBasename));
  return true;
}
`;

test('a non-JSON message, a message naming a missing file or a file outside the data directory are logged and skipped; the worker keeps going', async (t) => {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const out = path.join(home.dir, 'out');
  const plugin = writePlugin(home, 'm', [{ name: 'main', source: COPY_OUT }], { out });
  const w = startWorker(home, 'm', 'main', { MFDATA_REDIS_UNIX_SOCKET: redis.socket, MFLOG_MINIMAL_LEVEL: 'DEBUG' });
  t.after(async () => {
    await w.stop();
    client.disconnect();
    await redis.stop();
    home.cleanup();
  });
  const inbox = plugin.steps[0].watchedDirectories[0];
  const secret = path.join(home.dir, 'not-yours');
  fs.writeFileSync(secret, 'secret');
  await client.lpush('step.m.main', 'this is not json {');
  await client.lpush('step.m.main', JSON.stringify({ directory: inbox }));
  await client.lpush('step.m.main', encodeMessage(messageFor(inbox, 'never-existed', 'created')));
  await client.lpush('step.m.main', encodeMessage(messageFor(home.dir, 'not-yours', 'created')));
  dropFile(inbox, 'good', 'ok');
  await client.lpush('step.m.main', encodeMessage(messageFor(inbox, 'good', 'created')));
  await waitFor('the good file processed after the bad messages', () => listFiles(out).includes('good'));
  const events = w.records.map((r) => `${r.level} ${r.event}`);
  assert.equal(events.filter((e) => e === 'warning skipped an invalid queue message').length, 2, events.join('\n'));
  assert.ok(events.includes('debug skipped a message: the file no longer exists'));
  assert.ok(events.includes("warning refused a message naming a file outside the step's directories"));
  assert.equal(fs.readFileSync(secret, 'utf8'), 'secret');
  assert.equal(w.child.exitCode, null, 'the worker is still running');
});

test('an LPUSH in MFDATA format from redis-cli is processed like an observer event', async (t) => {
  const redis = await startTestRedis();
  const home = makeHome();
  const out = path.join(home.dir, 'out');
  const plugin = writePlugin(home, 'm', [{ name: 'main', source: COPY_OUT }], { out });
  const w = startWorker(home, 'm', 'main', { MFDATA_REDIS_UNIX_SOCKET: redis.socket });
  t.after(async () => {
    await w.stop();
    await redis.stop();
    home.cleanup();
  });
  const inbox = plugin.steps[0].watchedDirectories[0];
  dropFile(inbox, 'from-python.dat', 'payload');
  // What a Python MFDATA directory_observer sends (json.dumps of a dict).
  const msg = `{"directory": "${inbox}", "filename": "from-python.dat", "event": "created", "event_timestamp": 1732742400.123456}`;
  const r = spawnSync('redis-cli', ['-s', redis.socket, 'LPUSH', 'step.m.main', msg], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  await waitFor('file processed', () => listFiles(out).includes('from-python.dat'));
  assert.equal(fs.readFileSync(path.join(out, 'from-python.dat'), 'utf8'), 'payload');
  const counter = spawnSync('redis-cli', ['-s', redis.socket, 'GET', 'counter.m.main'], { encoding: 'utf8' });
  assert.equal(counter.stdout.trim(), '1');
});

test('SIGTERM lets the worker finish the file in hand, then it exits 0 without leaving a claim', async (t) => {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const out = path.join(home.dir, 'out');
  const plugin = writePlugin(home, 'm', [{ name: 'main', source: COPY_OUT }], { out });
  const w = startWorker(home, 'm', 'main', { MFDATA_REDIS_UNIX_SOCKET: redis.socket });
  t.after(async () => {
    await w.stop();
    client.disconnect();
    await redis.stop();
    home.cleanup();
  });
  const inbox = plugin.steps[0].watchedDirectories[0];
  dropFile(inbox, 'slow-one', 'x');
  await client.lpush('step.m.main', encodeMessage(messageFor(inbox, 'slow-one', 'created')));
  const tmp = path.join(home.home.inDir, 'tmp', 'm.main');
  await waitFor('file claimed', () => listFiles(tmp).length === 1);
  w.child.kill('SIGTERM');
  assert.equal(await w.exited, 0);
  assert.deepEqual(listFiles(out), ['slow-one']);
  assert.deepEqual(listFiles(tmp), []);
  assert.deepEqual(fs.readdirSync(path.join(tmp, '.workers')), [], 'registration removed at a clean exit');
});

test('an idle worker blocked on its queue stops at once on SIGTERM', async (t) => {
  const redis = await startTestRedis();
  const home = makeHome();
  writePlugin(home, 'm', [{ name: 'main', source: COPY_OUT }], { out: path.join(home.dir, 'out') });
  const w = startWorker(home, 'm', 'main', { MFDATA_REDIS_UNIX_SOCKET: redis.socket });
  t.after(async () => {
    await w.stop();
    await redis.stop();
    home.cleanup();
  });
  await waitFor('worker started', () => w.records.some((r) => r.event === 'worker started'));
  await new Promise((r) => setTimeout(r, 100));
  w.child.kill('SIGTERM');
  assert.equal(await w.exited, 0);
  assert.ok(w.records.some((r) => r.event === 'worker stopped'));
});
