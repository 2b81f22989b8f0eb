// 255-byte file names (NAME_MAX): names the runtime derives from them (trash copies, `.tags`, `.t` temporaries,
// collision suffixes) are cut to fit, so such a file is never stuck in tmp/ by ENAMETOOLONG.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { dropFile, listFiles, makeHome, startWorker, waitFor, writePlugin, type Proc } from '../datapath/harness';
import { encodeMessage, messageFor } from '../../runtime/queue/message';
import { parseTagsFile } from '../../runtime/tags/tag-names';

const LONG_ASCII = 'a'.repeat(251) + '.csv';
const LONG_UTF8 = 'é'.repeat(127) + 'x'; // 255 bytes, 128 characters: a cut must not split an 'é'

const FAILING = `export function process() { return false; }`;

/** Copies the file to `fan` (through a `.t` temporary), and moves it to `fan` too: two files of the same long name there. */
const FAN_OUT = `
export async function process(file, ctx) {
  if (!(await ctx.copyToPluginStep(file, ctx.plugin, 'fan', { keepOriginalBasename: true }))) return false;
  return ctx.moveToPluginStep(file, ctx.plugin, 'fan', { keepOriginalBasename: true });
}
`;

const bytes = (name: string): number => Buffer.byteLength(name);

test('a failing file with a 255-byte name is trashed under a cut name, with its .tags, twice without clobbering', async (t) => {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const plugin = writePlugin(home, 'l', [{ name: 'main', source: FAILING }]);
  const w: Proc = startWorker(home, 'l', 'main', { MFDATA_REDIS_UNIX_SOCKET: redis.socket });
  t.after(async () => {
    await w.stop();
    client.disconnect();
    await redis.stop();
    home.cleanup();
  });
  const inbox = plugin.steps[0].watchedDirectories[0];
  const contents = ['first ascii', 'second ascii', 'first utf8', 'second utf8'];
  const names = [LONG_ASCII, LONG_ASCII, LONG_UTF8, LONG_UTF8];
  for (let i = 0; i < names.length; i++) {
    dropFile(inbox, names[i], contents[i]);
    await client.lpush('step.l.main', encodeMessage(messageFor(inbox, names[i], 'created')));
    // One at a time: the second file of a name can only be dropped once the first left the inbox.
    await waitFor(`file ${i} trashed`, () => listFiles(path.join(home.home.inDir, 'trash', 'l.main')).length === 2 * (i + 1));
  }
  const trash = path.join(home.home.inDir, 'trash', 'l.main');
  const files = listFiles(trash).filter((n) => !n.endsWith('.tags'));
  assert.equal(files.length, 4);
  const seen: string[] = [];
  for (const name of files) {
    assert.ok(bytes(`${name}.tags`) <= 255, `${bytes(name)}-byte trash name leaves room for .tags`);
    assert.ok(fs.existsSync(path.join(trash, `${name}.tags`)), `${name}.tags`);
    const tags = parseTagsFile(fs.readFileSync(path.join(trash, `${name}.tags`), 'utf8'));
    assert.ok(names.includes(tags['first.core.original_basename']), 'the full original name is in the tags');
    assert.equal(tags['latest.core.failure_reason'], 'process() returned false');
    assert.ok(!name.includes('\uFFFD'), 'no character cut in half');
    seen.push(fs.readFileSync(path.join(trash, name), 'utf8'));
  }
  assert.deepEqual(seen.sort(), [...contents].sort(), 'every content intact, none overwritten');
  await waitFor('no claim left in tmp/', () => listFiles(path.join(home.home.inDir, 'tmp', 'l.main')).length === 0);
});

test('copy and move of a 255-byte name to a step already holding that name: both arrive, under names that fit', async (t) => {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const plugin = writePlugin(home, 'l', [{ name: 'main', source: FAN_OUT }, { name: 'fan', source: FAILING }]);
  const w = startWorker(home, 'l', 'main', { MFDATA_REDIS_UNIX_SOCKET: redis.socket });
  t.after(async () => {
    await w.stop();
    client.disconnect();
    await redis.stop();
    home.cleanup();
  });
  const inbox = plugin.steps[0].watchedDirectories[0];
  const fan = plugin.steps[1].watchedDirectories[0];
  dropFile(inbox, LONG_UTF8, 'fanned out');
  await client.lpush('step.l.main', encodeMessage(messageFor(inbox, LONG_UTF8, 'created')));
  await waitFor('two files in fan/', () => fs.readdirSync(fan).length === 2);
  await waitFor('main finished', () => listFiles(path.join(home.home.inDir, 'tmp', 'l.main')).length === 0);
  const names = fs.readdirSync(fan);
  assert.ok(names.includes(LONG_UTF8), 'the copy keeps the full name');
  for (const n of names) {
    assert.ok(bytes(n) <= 255);
    assert.ok(!n.endsWith('.t'), 'no temporary left');
    assert.equal(fs.readFileSync(path.join(fan, n), 'utf8'), 'fanned out');
  }
  assert.equal(await client.get('failed.l.main'), null, 'neither route failed');
});
