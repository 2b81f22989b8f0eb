// Tags live in Redis hashes that follow their file: names, formats, and moves/copies against a real Redis.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { enterStepValue, formatTagsFile, parseTagsFile, stepTag } from '../../runtime/tags/tag-names';
import { TagStore } from '../../runtime/tags/tag-store';
import { copyTagged, hardlinkTagged, moveTagged } from '../../runtime/tags/tagged-file';
import { tagsKey } from '../../runtime/queue/keys';

test('tag names and the .tags format', () => {
  assert.equal(stepTag(2, 'p', 's', 'size'), '2.p.s.size');
  assert.equal(enterStepValue(Date.UTC(2026, 10, 27, 21, 5, 9) + 0.123456 * 1000), '2026-11-27T21:05:09:123456');
  const text = formatTagsFile({ 'b.x': '2', 'a.y': 'multi\nline', 'a.a': '' });
  assert.equal(text, 'a.a = \na.y = multi\\nline\nb.x = 2\n');
  assert.deepEqual(parseTagsFile(text), { 'a.a': '', 'a.y': 'multi\nline', 'b.x': '2' });
});

/** Names a producer can give a file, each a trap for a line-based `key = value` file. */
const AWKWARD = [
  'two\nlines.csv', 'crlf\r\nend', 'back\\slash', 'literal \\n not a newline', 'trailing\\', 'a = b = c.txt', '=starts', 'ends =',
  'données été 測試 🚀.txt', '  spaces around  ', '\\\n\\=\r', '',
];

test('.tags round-trip exactly: names with newlines, backslashes, = and unicode read back as they were; ordinary values keep MFDATA\'s look', () => {
  const tags: Record<string, string> = {};
  AWKWARD.forEach((v, i) => { tags[`${i}.core.original_basename`] = v; });
  // Tag names are plugin-chosen (ctx.setTag): the same traps in keys.
  for (const k of ['latest.p.s.multi\nline', 'latest.p.s.a = b', 'latest.p.s.back\\slash', 'latest.p.s.été']) tags[k] = 'v';
  const text = formatTagsFile(tags);
  assert.equal(text.split('\n').length, Object.keys(tags).length + 1, 'one line per tag');
  assert.deepEqual(parseTagsFile(text), tags);
  assert.match(text, /^0\.core\.original_basename = two\\nlines\.csv$/m);
  assert.match(text, /^2\.core\.original_basename = back\\\\slash$/m);
  assert.match(text, /^5\.core\.original_basename = a = b = c\.txt$/m, 'an = in a value stays as it is');
  assert.match(text, /^8\.core\.original_basename = données été 測試 🚀\.txt$/m, 'unicode as it is');
  assert.match(text, /^latest\.p\.s\.a \\= b = v$/m, 'an = in a key is escaped');
  assert.equal(formatTagsFile({ 'first.core.original_basename': 'obs_20240101.csv', 'latest.core.failure_reason': 'process() returned false' }),
    'first.core.original_basename = obs_20240101.csv\nlatest.core.failure_reason = process() returned false\n', 'ordinary values: MFDATA\'s key = value');
});

test('tags follow a move, a copy and a hard link; a failed move puts them back; the TTL is refreshed', async (t) => {
  const redis = await startTestRedis();
  const client = new Redis({ path: redis.socket });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-tags-'));
  t.after(async () => {
    client.disconnect();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const tags = new TagStore(client);
  const a = path.join(dir, 'a');
  fs.writeFileSync(a, 'x');
  await tags.set(a, { 'first.core.original_basename': 'a', n: 1 });
  assert.ok((await client.ttl(tagsKey(a))) > 86_000);

  const b = path.join(dir, 'b');
  await moveTagged(tags, a, b);
  assert.deepEqual(await tags.getAll(b), { 'first.core.original_basename': 'a', n: '1' });
  assert.equal(await client.exists(tagsKey(a)), 0);

  await assert.rejects(moveTagged(tags, b, path.join(dir, 'missing-dir', 'c')), /ENOENT/);
  assert.equal((await tags.getAll(b)).n, '1', 'rolled back after the failed rename');

  const c = path.join(dir, 'c');
  await copyTagged(tags, b, c);
  const d = path.join(dir, 'd');
  await hardlinkTagged(tags, b, d);
  assert.equal(fs.readFileSync(c, 'utf8'), 'x');
  assert.equal(fs.statSync(d).ino, fs.statSync(b).ino);
  await tags.set(c, { n: 2 });
  assert.equal((await tags.getAll(b)).n, '1', 'a copy has its own tags');
  assert.equal((await tags.getAll(d)).n, '1');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['b', 'c', 'd'], 'no .t left behind');

  const dumped = path.join(dir, 'c.tags');
  await tags.dump(c, dumped, { 'latest.core.failure_reason': 'why' });
  assert.equal(fs.readFileSync(dumped, 'utf8'), 'first.core.original_basename = a\nlatest.core.failure_reason = why\nn = 2\n');
  // Tags in Redis → .tags on disk → read back: the same strings, whatever their characters.
  const awkward = path.join(dir, 'awkward');
  fs.writeFileSync(awkward, 'x');
  const written = Object.fromEntries(AWKWARD.map((v, i) => [`${i}.core.original_basename`, v]));
  await tags.set(awkward, written);
  await tags.dump(awkward, path.join(dir, 'awkward.tags'));
  assert.deepEqual(parseTagsFile(fs.readFileSync(path.join(dir, 'awkward.tags'), 'utf8')), written);
});

test('a file\'s tags live under MFDATA\'s key: xattr_ + the MD5 of its absolute path in hex (UTF-8 bytes)', () => {
  // md5sum of the bytes of '/tmp/in/step.p.s/é x.txt', computed outside Node.
  assert.equal(tagsKey('/tmp/in/step.p.s/é x.txt'), 'xattr_05d0ca278fe876dd48c9315afc403d0d');
});
