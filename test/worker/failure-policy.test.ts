// When a step returns false or throws, the step's failure policy decides where the file goes, and `.tags` tells its story.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { dropFile, listFiles, makeHome, startObserver, startWorker, waitFor, writeObserverIni, writePlugin, type Proc } from '../datapath/harness';
import { encodeMessage, messageFor } from '../../runtime/queue/message';
import { parseTagsFile } from '../../runtime/tags/tag-names';
import { failedKey, tagsKey } from '../../runtime/queue/keys';

const FAILING = `
export async function process(file, ctx) {
  await ctx.setTag(file, 'note', 'was here');
  if (file.originalBasename.includes('throw')) throw new TypeError('cannot parse ' + file.originalBasename);
  if (file.originalBasename.includes('slow')) await new Promise((r) => setTimeout(r, 5000));
  return false;
}
`;
const ACCEPT = 'export function process() { return true; }\n';

test('keep, delete and move (to plugin/step and to a directory) apply with the reason recorded in .tags', async (t) => {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const outside = path.join(home.dir, 'rejected');
  const plugin = writePlugin(home, 'f', [
    { name: 'keep', source: FAILING, config: { failurePolicy: 'keep' } },
    { name: 'del', source: FAILING, config: { failurePolicy: 'delete' } },
    { name: 'tostep', source: FAILING, config: { failurePolicy: 'move', failurePolicyMoveDestDir: 'f/quarantine' } },
    { name: 'todir', source: FAILING, config: { failurePolicy: 'move', failurePolicyMoveDestDir: outside, processTimeout: 0.5 } },
    { name: 'quarantine', source: ACCEPT },
  ]);
  const env = { MFDATA_REDIS_UNIX_SOCKET: redis.socket };
  const workers: Proc[] = ['keep', 'del', 'tostep', 'todir'].map((s) => startWorker(home, 'f', s, env));
  t.after(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    client.disconnect();
    await redis.stop();
    home.cleanup();
  });
  const push = async (step: string, name: string, content = 'data'): Promise<void> => {
    const inbox = plugin.steps.find((s) => s.name === step)?.watchedDirectories[0] as string;
    dropFile(inbox, name, content);
    await client.lpush(`step.f.${step}`, encodeMessage(messageFor(inbox, name, 'created')));
  };
  const trash = path.join(home.home.inDir, 'trash', 'f.keep');
  await push('keep', 'report.csv', 'one');
  await waitFor('first report.csv trashed', () => listFiles(trash).includes('report.csv.tags'));
  await push('keep', 'report.csv', 'two'); // same name: the trash keeps both
  await push('keep', 'throw-me.csv');
  await push('del', 'gone.csv');
  await push('tostep', 'q.csv', 'quarantined');
  await push('todir', 'slow.csv', 'timed out');

  await waitFor('three files kept in the trash with their .tags', () => listFiles(trash).length === 6);
  assert.deepEqual(listFiles(trash).sort(), ['report.csv', 'report.csv.1', 'report.csv.1.tags', 'report.csv.tags', 'throw-me.csv', 'throw-me.csv.tags']);
  assert.deepEqual([fs.readFileSync(path.join(trash, 'report.csv'), 'utf8'), fs.readFileSync(path.join(trash, 'report.csv.1'), 'utf8')].sort(), ['one', 'two']);
  const kept = parseTagsFile(fs.readFileSync(path.join(trash, 'throw-me.csv.tags'), 'utf8'));
  assert.equal(kept['first.core.original_basename'], 'throw-me.csv');
  assert.equal(kept['first.core.original_dirname'], 'step.f.keep');
  assert.match(kept['first.core.original_uid'], /^[0-9a-f]{32}$/);
  assert.equal(kept['latest.core.step_counter'], '0');
  assert.match(kept['0.f.keep.enter_step'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d:\d{6}$/);
  // Real microseconds, not milliseconds padded with 000 (three files: all ending in 000 by chance is 1 in 10^9).
  const enterSteps = ['report.csv.tags', 'report.csv.1.tags', 'throw-me.csv.tags']
    .map((f) => parseTagsFile(fs.readFileSync(path.join(trash, f), 'utf8'))['latest.f.keep.enter_step']);
  assert.ok(enterSteps.some((v) => !v.endsWith('000')), enterSteps.join(', '));
  assert.equal(kept['0.f.keep.note'], 'was here');
  assert.equal(kept['latest.f.keep.note'], 'was here');
  assert.equal(kept['latest.core.failure_reason'], 'exception: TypeError: cannot parse throw-me.csv');
  const text = fs.readFileSync(path.join(trash, 'report.csv.tags'), 'utf8');
  const lines = text.trimEnd().split('\n');
  assert.deepEqual(lines, [...lines].sort(), 'sorted key = value lines');
  assert.ok(lines.includes('latest.core.failure_reason = process() returned false'));

  await waitFor('the quarantined file reached the other step inbox', () => listFiles(path.join(home.home.inDir, 'step.f.quarantine')).length === 1);
  const q = path.join(home.home.inDir, 'step.f.quarantine', 'q.csv');
  assert.equal(fs.readFileSync(q, 'utf8'), 'quarantined');
  assert.equal(await client.hget(tagsKey(q), 'latest.core.failure_reason'), 'process() returned false', 'tags travel with a move to plugin/step');

  await waitFor('the timed-out file moved to the directory with its .tags', () => listFiles(outside).length === 2);
  const moved = parseTagsFile(fs.readFileSync(path.join(outside, 'slow.csv.tags'), 'utf8'));
  assert.match(moved['latest.core.failure_reason'], /^process_timeout exceeded/);
  assert.equal(fs.readFileSync(path.join(outside, 'slow.csv'), 'utf8'), 'timed out');

  await waitFor('delete policy traced', async () => (await client.keys('trace@*~f/del~>trash/delete')).length === 1);
  for (const step of ['keep', 'del', 'tostep', 'todir']) {
    assert.deepEqual(listFiles(path.join(home.home.inDir, 'tmp', `f.${step}`)), [], `nothing left in tmp/f.${step}`);
    assert.deepEqual(listFiles(path.join(home.home.inDir, `step.f.${step}`)), []);
  }
  assert.deepEqual(listFiles(path.join(home.home.inDir, 'trash', 'f.del')), []);
  assert.equal((await client.keys('trace@*~f/keep~>trash/keep')).length, 1);
  // The move to a directory is the pseudo target >move/<dir without its leading slash> (no `>move//`).
  await waitFor('move-to-directory policy traced', async () => (await client.keys(`trace@*~f/todir~>move/${outside.slice(1)}`)).length === 1);
  assert.deepEqual(await client.keys('trace@*~>move//*'), []);
  const logged = workers[0].records.filter((r) => r.event === 'process() raised an exception');
  assert.equal(logged.length, 1);
  assert.equal(logged[0].exception_type, 'TypeError');
  assert.match(String(logged[0].exception), /TypeError: cannot parse throw-me\.csv\n\s+at .*keep\.ts:4:\d+/);
  assert.equal(logged[0].name, 'mfdata.f.keep');

  // failed.<plugin>.<step> counts every file the failure policy took, whatever the policy (counted just after the file lands).
  await waitFor('every failure counted', async () => (await client.mget(['keep', 'del', 'tostep', 'todir'].map((s) => failedKey('f', s)))).join() === '3,1,1,1');
  assert.equal(await client.get(failedKey('f', 'keep')), '3', 'keep: two returned false, one threw');
  assert.equal(await client.get(failedKey('f', 'del')), '1', 'delete');
  assert.equal(await client.get(failedKey('f', 'tostep')), '1', 'move to plugin/step');
  assert.equal(await client.get(failedKey('f', 'todir')), '1', 'move to a directory after process_timeout');
  assert.equal(await client.get(failedKey('f', 'quarantine')), null, 'a step that failed nothing has no counter');
});

test('step_limit stops a routing loop by applying the failure policy', async (t) => {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const LOOP = `
import { defineStep } from 'mfdata';
export const step = defineStep({
  async process(file, ctx) {
    return ctx.moveToPluginStep(file, 'loop', 'main', { keepOriginalBasename: true });
  },
});
`;
  const plugin = writePlugin(home, 'loop', [{ name: 'main', source: LOOP, config: { stepLimit: 5 } }]);
  const inbox = plugin.steps[0].watchedDirectories[0];
  writeObserverIni(home, redis.socket, [plugin]);
  const obs = startObserver(home);
  const w = startWorker(home, 'loop', 'main', { MFDATA_REDIS_UNIX_SOCKET: redis.socket });
  t.after(async () => {
    await Promise.all([w.stop(), obs.stop()]);
    client.disconnect();
    await redis.stop();
    home.cleanup();
  });
  dropFile(inbox, 'looping', 'x');
  const trash = path.join(home.home.inDir, 'trash', 'loop.main');
  await waitFor('looping file trashed', () => listFiles(trash).length === 2);
  const tags = parseTagsFile(fs.readFileSync(path.join(trash, 'looping.tags'), 'utf8'));
  assert.equal(tags['latest.core.step_counter'], '6');
  assert.match(tags['latest.core.failure_reason'], /^step_limit exceeded/);
  assert.equal(await client.get('counter.loop.main'), '7');
  await waitFor('the step_limit failure counted', async () => (await client.get(failedKey('loop', 'main'))) !== null);
  assert.equal(await client.get(failedKey('loop', 'main')), '1', 'step_limit counts as one failure');
});
