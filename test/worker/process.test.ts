// A step worker takes files from its queue, claims them, runs the step and deletes or routes them, with tags and counters.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { dropFile, listFiles, makeHome, startWorker, waitFor, writePlugin } from '../datapath/harness';
import { encodeMessage, messageFor } from '../../runtime/queue/message';
import { tagsKey } from '../../runtime/queue/keys';

const ROUTE_STEP = `
import { defineStep } from 'mfdata';
import * as fs from 'node:fs';
import * as path from 'node:path';
export const step = defineStep({
  async process(file, ctx) {
    await ctx.setTag(file, 'seen_size', fs.statSync(file.path).size);
    if (file.originalBasename.startsWith('route-')) return ctx.moveToPluginStep(file, ctx.plugin, 'second', { keepOriginalBasename: true });
    return true;
  },
});
`;

const SECOND_STEP = `
import type { StepContext, StepFile } from 'mfdata';
import * as fs from 'node:fs';
import * as path from 'node:path';
export async function process(file: StepFile, ctx: StepContext): Promise<boolean> {
  const out = ctx.getCustom('output_dir');
  fs.mkdirSync(out, { recursive: true });
  const size = await ctx.getTag(file, 'seen_size', { step: 'first' });
  fs.renameSync(file.path, path.join(out, file.originalBasename + '.' + size + '.' + file.stepCounter));
  return true;
}
`;

test('a file pushed on the queue is claimed, processed and deleted; a routed file reaches the next step with its tags', async (t) => {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const out = path.join(home.dir, 'out');
  const plugin = writePlugin(home, 'p', [{ name: 'first', source: ROUTE_STEP }, { name: 'second', source: SECOND_STEP }], { output_dir: out });
  const env = { MFDATA_REDIS_UNIX_SOCKET: redis.socket };
  const w1 = startWorker(home, 'p', 'first', env);
  const w2 = startWorker(home, 'p', 'second', env);
  t.after(async () => {
    await Promise.all([w1.stop(), w2.stop()]);
    client.disconnect();
    await redis.stop();
    home.cleanup();
  });
  const inbox1 = plugin.steps[0].watchedDirectories[0];
  const inbox2 = plugin.steps[1].watchedDirectories[0];
  dropFile(inbox1, 'plain.txt', 'hello');
  dropFile(inbox1, 'route-me.txt', 'abc');
  await client.lpush('step.p.first', encodeMessage(messageFor(inbox1, 'plain.txt', 'created')));
  await client.lpush('step.p.first', encodeMessage(messageFor(inbox1, 'route-me.txt', 'created')));
  // The second step has no observer here: announce the routed file ourselves once it lands.
  await waitFor('routed file in the second inbox', () => listFiles(inbox2).length === 1 || fs.existsSync(out));
  if (listFiles(inbox2).length === 1) await client.lpush('step.p.second', encodeMessage(messageFor(inbox2, listFiles(inbox2)[0], 'created')));
  await waitFor('file archived by the second step', () => listFiles(out).length === 1);
  assert.deepEqual(listFiles(out), ['route-me.txt.3.1']);
  assert.deepEqual(listFiles(inbox1), []);
  await waitFor('first step counted both files', async () => (await client.get('counter.p.first')) === '2');
  assert.equal(await client.get('counter.p.second'), '1');
  assert.ok(Number(await client.get('latest.p.first')) > 1e9);
  const traces = (await client.keys('trace@*')).sort();
  assert.ok(traces.some((k) => /~p\/first~p\/second$/.test(k)), traces.join(','));
  assert.ok(traces.some((k) => /~<step\.p\.first~p\/first$/.test(k)), traces.join(','));
  assert.ok((await client.ttl(traces[0])) > 0);
  assert.deepEqual(listFiles(path.join(home.home.inDir, 'tmp', 'p.first')), []);
  assert.equal(await client.exists(tagsKey(path.join(inbox1, 'plain.txt'))), 0);
});

const ROUTE_ANYWHERE_STEP = `
import { defineStep } from 'mfdata';
const TO: Record<string, [string, string]> = {
  'a.txt': ['p', 'nosuch'], 'b.txt': ['nosuch', 'main'], 'c.txt': ['..', '..'], 'd.txt': ['../../../../tmp', 'escape'], 'late.txt': ['late', 'main'],
};
export const step = defineStep({
  async process(file, ctx) {
    const [plugin, step] = TO[file.originalBasename];
    return ctx.moveToPluginStep(file, plugin, step, { keepOriginalBasename: true });
  },
});
`;

test('routing to a step the runtime does not have (or to a path) moves nothing: the step gets false, the file its failure policy', async (t) => {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const plugin = writePlugin(home, 'p', [{ name: 'first', source: ROUTE_ANYWHERE_STEP }, { name: 'second', source: SECOND_STEP }]);
  const w = startWorker(home, 'p', 'first', { MFDATA_REDIS_UNIX_SOCKET: redis.socket });
  t.after(async () => {
    await w.stop();
    client.disconnect();
    await redis.stop();
    home.cleanup();
    fs.rmSync('/tmp.escape', { recursive: true, force: true });
  });
  const inbox = plugin.steps[0].watchedDirectories[0];
  const names = ['a.txt', 'b.txt', 'c.txt', 'd.txt'];
  for (const name of names) {
    dropFile(inbox, name, name);
    await client.lpush('step.p.first', encodeMessage(messageFor(inbox, name, 'created')));
  }
  // A plugin added while the worker runs (its generated config appears): a route to it works.
  writePlugin(home, 'late', [{ name: 'main', source: SECOND_STEP }]);
  dropFile(inbox, 'late.txt', 'late');
  await client.lpush('step.p.first', encodeMessage(messageFor(inbox, 'late.txt', 'created')));
  const trash = path.join(home.home.inDir, 'trash', 'p.first');
  const trashed = (): string[] => listFiles(trash).filter((n) => !n.endsWith('.tags')).sort();
  await waitFor('the refused files in the trash', () => trashed().length === names.length);
  assert.deepEqual(trashed(), names);
  await waitFor('the routed file in late/main', () => listFiles(path.join(home.home.inDir, 'step.late.main')).length === 1);
  assert.deepEqual(listFiles(path.join(home.home.inDir, 'step.late.main')), ['late.txt']);
  // No inbox was made for a step that does not exist, nothing was written outside IN.
  assert.deepEqual(fs.readdirSync(home.home.inDir).filter((d) => d.startsWith('step.')).sort(), ['step.late.main', 'step.p.first', 'step.p.second']);
  assert.equal(fs.existsSync('/tmp.escape'), false);
  assert.equal(fs.existsSync(path.join(home.home.inDir, '..', 'tmp.escape')), false);
  const errors = w.records.filter((r) => r.level === 'error').map((r) => String(r.event));
  assert.ok(errors.some((e) => e.includes("cannot move the file to p/nosuch: plugin 'p' has no step 'nosuch' (its steps: first, second)")), errors.join('\n'));
  assert.ok(errors.some((e) => e.includes("cannot move the file to nosuch/main: no plugin 'nosuch' in the runtime's configuration")), errors.join('\n'));
  assert.ok(errors.some((e) => e.includes("cannot move the file to ../../../../tmp/escape: no plugin '../../../../tmp'")), errors.join('\n'));
});
