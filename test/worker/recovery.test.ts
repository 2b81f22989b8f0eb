// No file is lost when a worker dies: its claims are recovered by the next worker of the step, never a live worker's.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { dropFile, listFiles, makeHome, startWorker, waitFor, writePlugin } from '../datapath/harness';
import { encodeMessage, messageFor } from '../../runtime/queue/message';
import { parseTagsFile } from '../../runtime/tags/tag-names';
import { tagsKey } from '../../runtime/queue/keys';

const STEP = `
import * as fs from 'node:fs';
import * as path from 'node:path';
export async function process(file, ctx) {
  if (file.originalBasename.startsWith('poison')) globalThis.process.kill(globalThis.process.pid, 'SIGKILL');
  if (file.originalBasename.startsWith('slow')) await new Promise((r) => setTimeout(r, Number(ctx.getCustom('slow_ms'))));
  // 'held' files wait until the test drops the release file: busy for as long as the test needs, however slow the machine.
  if (file.originalBasename.startsWith('held')) while (!fs.existsSync(ctx.getCustom('release'))) await new Promise((r) => setTimeout(r, 20));
  const out = ctx.getCustom('out');
  fs.mkdirSync(out, { recursive: true });
  const tags = await ctx.getTags(file);
  // Written aside then renamed in: the test never reads a half-written output.
  const part = path.join(out, '..', file.originalBasename + '.part');
  fs.writeFileSync(part, fs.readFileSync(file.path, 'utf8') + '|crashes=' + (tags['latest.r.main.crash_count'] ?? '0')
    + (file.originalBasename.startsWith('tagged') ? '|color=' + tags['latest.up.main.color'] : ''));
  fs.renameSync(part, path.join(out, file.originalBasename));
  return true;
}
`;

async function setup(slowMs: number) {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const out = path.join(home.dir, 'out');
  const release = path.join(home.dir, 'release');
  const plugin = writePlugin(home, 'r', [{ name: 'main', source: STEP }], { out, slow_ms: String(slowMs), release });
  const inbox = plugin.steps[0].watchedDirectories[0];
  const tmp = path.join(home.home.inDir, 'tmp', 'r.main');
  const push = async (name: string, content: string): Promise<void> => {
    dropFile(inbox, name, content);
    await client.lpush('step.r.main', encodeMessage(messageFor(inbox, name, 'created')));
  };
  const env = { MFDATA_REDIS_UNIX_SOCKET: redis.socket };
  const cleanup = async (): Promise<void> => {
    client.disconnect();
    await redis.stop();
    home.cleanup();
  };
  return { redis, home, client, out, inbox, tmp, push, env, cleanup, release };
}

test('a claim left by a worker killed with SIGKILL is put back and processed by the restarted worker', async (t) => {
  const s = await setup(3000);
  const started: Array<ReturnType<typeof startWorker>> = [];
  t.after(async () => {
    await Promise.all(started.map((w) => w.stop()));
    await s.cleanup();
  });
  const first = startWorker(s.home, 'r', 'main', s.env);
  started.push(first);
  await s.push('slow-file', 'content');
  await waitFor('file claimed', () => listFiles(s.tmp).length === 1);
  first.child.kill('SIGKILL');
  await first.exited;
  assert.equal(listFiles(s.tmp).length, 1, 'the dead worker left its claim');
  const second = startWorker(s.home, 'r', 'main', s.env);
  started.push(second);
  await waitFor('file processed by the new worker', () => listFiles(s.out).includes('slow-file'), 15_000);
  assert.equal(fs.readFileSync(path.join(s.out, 'slow-file'), 'utf8'), 'content|crashes=1');
  await waitFor('tmp empty', () => listFiles(s.tmp).length === 0);
  assert.ok(second.records.some((r) => r.event === 'recovered the claims of dead workers' && r.requeued === 1));
  // Registrations are the 16-hex names; `<prefix>.claiming` is the live worker's own claim intent.
  assert.deepEqual(fs.readdirSync(path.join(s.tmp, '.workers')).filter((n) => /^[0-9a-f]{16}$/.test(n)).length, 1, 'only the live worker is registered');
  assert.deepEqual(fs.readdirSync(path.join(s.tmp, '.workers')).filter((n) => !n.startsWith(fs.readdirSync(path.join(s.tmp, '.workers')).find((x) => /^[0-9a-f]{16}$/.test(x)) ?? '-')), [], "the dead worker's files are gone");
});

test('a file that kills its worker 3 times goes to the failure policy with a .tags note saying why', async (t) => {
  const s = await setup(0);
  const workers: Array<ReturnType<typeof startWorker>> = [];
  t.after(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await s.cleanup();
  });
  await s.push('poison.bin', 'bad');
  for (let death = 1; death <= 3; death++) {
    const w = startWorker(s.home, 'r', 'main', s.env);
    workers.push(w);
    await w.exited;
    assert.equal(w.child.signalCode, 'SIGKILL', `death ${death}`);
  }
  const survivor = startWorker(s.home, 'r', 'main', s.env);
  workers.push(survivor);
  const trash = path.join(s.home.home.inDir, 'trash', 'r.main');
  await waitFor('poison file in the trash', () => listFiles(trash).length === 2);
  const tags = parseTagsFile(fs.readFileSync(path.join(trash, 'poison.bin.tags'), 'utf8'));
  assert.equal(tags['latest.r.main.crash_count'], '3');
  assert.match(tags['latest.core.failure_reason'], /the worker died 3 times while processing this file/);
  assert.equal(fs.readFileSync(path.join(trash, 'poison.bin'), 'utf8'), 'bad');
  // The survivor goes on with other files.
  await s.push('after.txt', 'fine');
  await waitFor('next file processed', () => listFiles(s.out).includes('after.txt'));
  assert.equal(survivor.child.exitCode, null);
  assert.deepEqual(listFiles(s.tmp), []);
});

test('a worker starting next to a busy live worker leaves its claim alone', async (t) => {
  const s = await setup(0);
  const started: Array<ReturnType<typeof startWorker>> = [];
  t.after(async () => {
    fs.writeFileSync(s.release, '');
    await Promise.all(started.map((w) => w.stop()));
    await s.cleanup();
  });
  started.push(startWorker(s.home, 'r', 'main', s.env));
  await s.push('held-owned', 'mine');
  await waitFor('file claimed', () => listFiles(s.tmp).length === 1);
  const late = startWorker(s.home, 'r', 'main', s.env);
  started.push(late);
  await waitFor('late worker started', () => late.records.some((r) => r.event === 'worker started'));
  assert.equal(listFiles(s.tmp).length, 1, 'the claim is still there');
  fs.writeFileSync(s.release, '');
  await waitFor('processed once by its owner', () => listFiles(s.out).includes('held-owned'));
  assert.equal(fs.readFileSync(path.join(s.out, 'held-owned'), 'utf8'), 'mine|crashes=0');
  assert.ok(!late.records.some((r) => r.event === 'recovered the claims of dead workers'));
});

test('a worker killed between its claim rename and the claim\'s Redis bookkeeping: the file keeps its name and tags', async (t) => {
  const s = await setup(0);
  const started: Array<ReturnType<typeof startWorker>> = [];
  t.after(async () => {
    await s.client.call('CLIENT', 'UNPAUSE').catch(() => undefined);
    await Promise.all(started.map((w) => w.stop()));
    await s.cleanup();
  });
  const first = startWorker(s.home, 'r', 'main', s.env);
  started.push(first);
  await waitFor('the worker waiting in its pop', async () => /cmd=(blmpop|brpop)/.test(String(await s.client.call('CLIENT', 'LIST'))));
  const inboxPath = dropFile(s.inbox, 'tagged-file', 'content');
  // The tags an upstream step set, still under the inbox path (the claim script moves them to the claim path).
  await s.client.hset(tagsKey(inboxPath), 'latest.up.main.color', 'blue');
  // In one write: the message (the pop takes it at once), then a pause of every write: the claim script waits.
  await s.client.pipeline().lpush('step.r.main', encodeMessage(messageFor(s.inbox, 'tagged-file', 'created'))).call('CLIENT', 'PAUSE', '20000', 'WRITE').exec();
  await waitFor('file renamed into its claim', () => listFiles(s.tmp).length === 1);
  assert.equal(await s.client.hget(tagsKey(inboxPath), 'latest.up.main.color'), 'blue', 'the claim script has not run');
  first.child.kill('SIGKILL');
  await first.exited;
  await s.client.call('CLIENT', 'UNPAUSE');
  const second = startWorker(s.home, 'r', 'main', s.env);
  started.push(second);
  await waitFor('file processed by the new worker under its own name', () => listFiles(s.out).includes('tagged-file'), 15_000);
  assert.equal(fs.readFileSync(path.join(s.out, 'tagged-file'), 'utf8'), 'content|crashes=1|color=blue');
  assert.deepEqual(listFiles(s.out), ['tagged-file'], 'nothing else came out');
  await waitFor('tmp empty', () => listFiles(s.tmp).length === 0);
});

test('a new worker claims one file at a time until its first file is done (a slow step never hoards a backlog)', async (t) => {
  const s = await setup(0);
  const started: Array<ReturnType<typeof startWorker>> = [];
  t.after(async () => {
    await Promise.all(started.map((w) => w.stop()));
    await s.cleanup();
  });
  for (let i = 1; i <= 6; i++) await s.push(`held-${i}`, String(i));
  const w = startWorker(s.home, 'r', 'main', s.env);
  started.push(w);
  await waitFor('the first file claimed', () => listFiles(s.tmp).length >= 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(listFiles(s.tmp).length, 1, 'one claim while the first file is in process, not the whole backlog');
  assert.equal(await s.client.llen('step.r.main'), 5);
  // Stopped while that file is in process: it finishes it, and nothing else was taken.
  w.child.kill('SIGTERM');
  await waitFor('the stop seen by the worker', () => w.records.some((r) => String(r.event).startsWith('stop requested')));
  fs.writeFileSync(s.release, '');
  assert.equal(await w.exited, 0);
  assert.deepEqual(listFiles(s.out), ['held-1']);
  assert.deepEqual(listFiles(s.tmp), []);
  assert.equal(await s.client.llen('step.r.main'), 5);
  assert.equal(listFiles(s.inbox).length, 5);
});

test('a stopping worker puts the files it claimed ahead back at the front of its queue, in order, instead of running them', async (t) => {
  const s = await setup(0);
  const started: Array<ReturnType<typeof startWorker>> = [];
  t.after(async () => {
    await Promise.all(started.map((w) => w.stop()));
    await s.cleanup();
  });
  const w = startWorker(s.home, 'r', 'main', s.env);
  started.push(w);
  // Quick files first: the worker counts itself quick and claims ahead under a backlog.
  for (let i = 0; i < 40; i++) await s.push(`quick-${i}`, 'q');
  await waitFor('the quick files done', () => listFiles(s.out).length === 40);
  const names = ['held-1', ...Array.from({ length: 7 }, (_, i) => `later-${i + 2}`)];
  for (const n of names) dropFile(s.inbox, n, n);
  await s.client.lpush('step.r.main', ...names.map((n) => encodeMessage(messageFor(s.inbox, n, 'created'))));
  await waitFor('held-1 in process', () => listFiles(s.tmp).length >= 1 && listFiles(s.inbox).length <= 7);
  await new Promise((r) => setTimeout(r, 200));
  const claimed = listFiles(s.tmp).length;
  if (claimed === 1) {
    t.skip('the quick files took over 2 ms each on this machine: nothing was claimed ahead');
    fs.writeFileSync(s.release, '');
    return;
  }
  assert.equal(claimed, 8, 'held-1 and the 7 files behind it claimed in one round');
  w.child.kill('SIGTERM');
  await waitFor('the stop seen by the worker', () => w.records.some((r) => String(r.event).startsWith('stop requested')));
  fs.writeFileSync(s.release, '');
  assert.equal(await w.exited, 0);
  assert.deepEqual(listFiles(s.out).filter((n) => !n.startsWith('quick')), ['held-1'], 'only the file in process was run');
  assert.deepEqual(listFiles(s.tmp), [], 'no claim left behind');
  assert.deepEqual(listFiles(s.inbox).sort(), names.slice(1).sort(), 'back under their own names');
  // At the front of the queue (popped from the right), in the order they came.
  const queue = (await s.client.lrange('step.r.main', 0, -1)).map((m) => (JSON.parse(m) as { filename: string }).filename);
  assert.deepEqual(queue.reverse(), names.slice(1));
  // A new worker runs them all.
  started.push(startWorker(s.home, 'r', 'main', s.env));
  await waitFor('the put-back files done', () => names.every((n) => listFiles(s.out).includes(n)));
});
