// A step stuck in a synchronous loop is stopped by the watchdog and finally failed; batch steps flush on size and on wait.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { dropFile, listFiles, makeHome, startWorker, waitFor, writePlugin, type Proc } from '../datapath/harness';
import { encodeMessage, messageFor } from '../../runtime/queue/message';
import { parseTagsFile } from '../../runtime/tags/tag-names';
import { readJourney } from '../../runtime/flow/read';

/** A real redis-server, a home and a client; every worker started through `start` is stopped when the test ends. */
async function testbed(t: { after(fn: () => Promise<void>): void }) {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const procs: Proc[] = [];
  t.after(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    client.disconnect();
    await redis.stop();
    home.cleanup();
  });
  const start = (plugin: string): Proc => {
    const w = startWorker(home, plugin, 'main', { MFDATA_REDIS_UNIX_SOCKET: redis.socket });
    procs.push(w);
    return w;
  };
  return { home, client, start };
}

test('a synchronous step that blocks past process_timeout is killed by the watchdog; after 3 deaths its file is failed, and its journey says so', async (t) => {
  const { home, client, start } = await testbed(t);
  const plugin = writePlugin(home, 'w', [{ name: 'main', source: 'export function process(file) { if (file.originalBasename === "spin") for (;;) {} return true; }\n', config: { processTimeout: 0.3 } }]);
  const inbox = plugin.steps[0].watchedDirectories[0];
  dropFile(inbox, 'spin', 'forever');
  await client.lpush('step.w.main', encodeMessage(messageFor(inbox, 'spin', 'created')));
  for (let death = 1; death <= 3; death++) {
    const w = start('w');
    await w.exited;
    assert.equal(w.child.signalCode, 'SIGKILL');
    assert.match(w.stderr(), /watchdog: the step blocked the worker beyond process_timeout/);
    assert.ok(w.records.some((r) => r.level === 'critical' && r.limit_ms === 2300));
  }
  const last = start('w');
  const trash = path.join(home.home.inDir, 'trash', 'w.main');
  await waitFor('spinning file failed', () => listFiles(trash).length === 2);
  assert.match(parseTagsFile(fs.readFileSync(path.join(trash, 'spin.tags'), 'utf8'))['latest.core.failure_reason'], /died 3 times/);
  assert.equal(last.child.exitCode, null);
  // Each dead claim ends in the journey (put back into the inbox), the third one with the failure policy.
  const [journey] = await readJourney(client, 'spin');
  assert.deepEqual(journey.steps.map((s) => [s.step, s.attempt, s.outcome]), [
    ['main', 0, 'failed → move to w/main'],
    ['main', 1, 'failed → move to w/main'],
    ['main', 2, 'failed → keep'],
  ]);
  assert.match(journey.steps[0].reason ?? '', /worker died while processing this file \(1 of 3\)/);
  assert.match(journey.steps[2].reason ?? '', /died 3 times/);
  assert.deepEqual(journey.final, { outcome: 'trash', where: 'trash/w.main' });
});

const BATCH = `
import * as fs from 'node:fs';
export const step = {
  async batchProcess(files, ctx) {
    fs.appendFileSync(ctx.getCustom('log'), files.map((f) => f.originalBasename).join(',') + '\\n');
    const ids = await Promise.all(files.map((f) => ctx.getTag(f, 'batch_id')));
    if (new Set(ids).size !== 1 || !ids[0]) throw new Error('batch_id missing');
    return files.map((f) => !f.originalBasename.startsWith('bad'));
  },
};
`;

test('a batch step gets batches of batch_max_size, then the rest after batch_max_wait; per-file results apply', async (t) => {
  const { home, client, start } = await testbed(t);
  const log = path.join(home.dir, 'batches.log');
  const plugin = writePlugin(home, 'b', [{ name: 'main', source: BATCH, config: { batchMaxSize: 3, batchMaxWait: 0.5 } }], { log });
  const inbox = plugin.steps[0].watchedDirectories[0];
  const names = ['a1', 'a2', 'bad3', 'a4', 'a5', 'a6', 'a7'];
  for (const n of names) {
    dropFile(inbox, n, n);
    await client.lpush('step.b.main', encodeMessage(messageFor(inbox, n, 'created')));
  }
  start('b');
  await waitFor('all files handled', () => fs.existsSync(log) && fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length === 3 && listFiles(path.join(home.home.inDir, 'tmp', 'b.main')).length === 0);
  assert.deepEqual(fs.readFileSync(log, 'utf8').trim().split('\n'), ['a1,a2,bad3', 'a4,a5,a6', 'a7']);
  const trash = path.join(home.home.inDir, 'trash', 'b.main');
  assert.deepEqual(listFiles(trash).sort(), ['bad3', 'bad3.tags']);
  assert.match(fs.readFileSync(path.join(trash, 'bad3.tags'), 'utf8'), /^latest\.b\.main\.batch_id = [0-9a-f]{32}$/m);
  assert.deepEqual(listFiles(inbox), []);
});

const POISON_BATCH = `
import * as fs from 'node:fs';
export const step = {
  async batchProcess(files, ctx) {
    fs.appendFileSync(ctx.getCustom('log'), files.map((f) => f.originalBasename).join(',') + '\\n');
    if (files.some((f) => f.originalBasename.startsWith('poison'))) process.exit(7);
    return true;
  },
};
`;

test('a batch step that dies on one file: the files of that batch then run alone, so only the poison file reaches its failure policy', async (t) => {
  const { home, client, start } = await testbed(t);
  const log = path.join(home.dir, 'batches.log');
  const plugin = writePlugin(home, 'pb', [{ name: 'main', source: POISON_BATCH, config: { batchMaxSize: 10, batchMaxWait: 0.5 } }], { log });
  const inbox = plugin.steps[0].watchedDirectories[0];
  const names = [...Array.from({ length: 9 }, (_, i) => `good-${i}`), 'poison'];
  for (const n of names) dropFile(inbox, n, n);
  await client.lpush('step.pb.main', ...names.map((n) => encodeMessage(messageFor(inbox, n, 'created'))));
  const trash = path.join(home.home.inDir, 'trash', 'pb.main');
  // Restarted after each death, as the supervisor does, until the poison file is in the trash.
  for (let round = 1; round <= 6 && !listFiles(trash).includes('poison'); round++) {
    const w = start('pb');
    await Promise.race([w.exited, waitFor('the poison file trashed', () => listFiles(trash).includes('poison'), 20_000)]);
  }
  await waitFor('the poison file and its .tags in the trash', () => listFiles(trash).length === 2);
  assert.deepEqual(listFiles(trash).sort(), ['poison', 'poison.tags']);
  assert.match(parseTagsFile(fs.readFileSync(path.join(trash, 'poison.tags'), 'utf8'))['latest.core.failure_reason'], /died 3 times/);
  await waitFor('the good files processed', () => listFiles(inbox).length === 0 && listFiles(path.join(home.home.inDir, 'tmp', 'pb.main')).length === 0);
  // The first batch held all ten; after that death every one of them ran alone; the poison file died twice more.
  const batches = fs.readFileSync(log, 'utf8').trim().split('\n');
  assert.equal(batches[0].split(',').length, 10);
  assert.ok(batches.slice(1).every((b) => !b.includes(',')), batches.join(' | '));
  assert.deepEqual(batches.filter((b) => b === 'poison').length, 2);
  assert.deepEqual([...new Set(batches.slice(1))].sort(), [...names].sort());
});
