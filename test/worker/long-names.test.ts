// 255-byte file names (NAME_MAX): names the runtime derives from them (trash copies, `.tags`, `.t` temporaries,
// collision suffixes) are cut to fit, so such a file is never stuck in tmp/ by ENAMETOOLONG.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, waitFor } from '../datapath/harness';
import { parseTagsFile } from '../../runtime/tags/tag-names';
import { startOneWorker } from './one-worker';

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
  const { give, trash, tmp } = await startOneWorker(t, 'l', [{ name: 'main', source: FAILING }]);
  const contents = ['first ascii', 'second ascii', 'first utf8', 'second utf8'];
  const names = [LONG_ASCII, LONG_ASCII, LONG_UTF8, LONG_UTF8];
  for (let i = 0; i < names.length; i++) {
    await give(names[i], contents[i]);
    // One at a time: the second file of a name can only be dropped once the first left the inbox.
    await waitFor(`file ${i} trashed`, () => listFiles(trash).length === 2 * (i + 1));
  }
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
  await waitFor('no claim left in tmp/', () => listFiles(tmp).length === 0);
});

test('copy and move of a 255-byte name to a step already holding that name: both arrive, under names that fit', async (t) => {
  const { plugin, client, give, tmp } = await startOneWorker(t, 'l', [{ name: 'main', source: FAN_OUT }, { name: 'fan', source: FAILING }]);
  const fan = plugin.steps[1].watchedDirectories[0];
  await give(LONG_UTF8, 'fanned out');
  await waitFor('two files in fan/', () => fs.readdirSync(fan).length === 2);
  await waitFor('main finished', () => listFiles(tmp).length === 0);
  const names = fs.readdirSync(fan);
  assert.ok(names.includes(LONG_UTF8), 'the copy keeps the full name');
  for (const n of names) {
    assert.ok(bytes(n) <= 255);
    assert.ok(!n.endsWith('.t'), 'no temporary left');
    assert.equal(fs.readFileSync(path.join(fan, n), 'utf8'), 'fanned out');
  }
  assert.equal(await client.get('failed.l.main'), null, 'neither route failed');
});
