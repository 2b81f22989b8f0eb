// The uncompressing wrappers of `process` (MFDATA's @ungzip/@try_ungzip/@unbzip2/@try_unbzip2) in real workers:
// the step sees the uncompressed copy with the file's tags; bad data fails (strict) or passes through as it is (try_).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { dropFile, listFiles, makeHome, startWorker, waitFor, writePlugin } from '../datapath/harness';
import { encodeMessage, messageFor } from '../../runtime/queue/message';
import { tagsKey } from '../../runtime/queue/keys';

/** A step that copies what it sees to output_dir/<original name>.<step>.<label tag>.<copy|claimed>. */
const stepUsing = (wrapper: string): string => `
import { ${wrapper}, type StepContext, type StepFile } from 'mfdata';
import * as fs from 'node:fs';
import * as path from 'node:path';
export const process = ${wrapper}(async (file: StepFile, ctx: StepContext) => {
  const out = ctx.getCustom('output_dir');
  fs.mkdirSync(out, { recursive: true });
  const seen = await ctx.getTag(file, 'label', { step: 'producer' }) ?? 'untagged';
  fs.copyFileSync(file.path, path.join(out, file.originalBasename + '.' + ctx.step + '.' + seen + (file.path.endsWith('tmp') ? '.copy' : '.claimed')));
  return true;
});
`;

function bzip2(text: string): Buffer {
  const r = spawnSync('bzip2', ['-c'], { input: text });
  if (r.status !== 0) throw new Error(`bzip2 -c failed (apt-get install -y bzip2): ${String(r.stderr)}`);
  return r.stdout;
}

test('unbzip2/tryUnbzip2/ungzip wrap process: uncompressed copies with tags for good data; strict fails bad data without calling the step, try_ passes it through', async (t) => {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const out = path.join(home.dir, 'out');
  const steps = [['strict', 'unbzip2'], ['lenient', 'tryUnbzip2'], ['gz', 'ungzip']] as const;
  const plugin = writePlugin(home, 'u', steps.map(([name, wrapper]) => ({ name, source: stepUsing(wrapper) })), { output_dir: out });
  const env = { MFDATA_REDIS_UNIX_SOCKET: redis.socket };
  const workers: Array<ReturnType<typeof startWorker>> = [];
  t.after(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    client.disconnect();
    await redis.stop();
    home.cleanup();
  });
  const feed = async (step: string, name: string, content: Buffer): Promise<void> => {
    const inbox = plugin.steps.find((s) => s.name === step)!.watchedDirectories[0];
    const file = dropFile(inbox, name, content);
    // A tag set by an earlier step: the wrappers must carry it to the uncompressed copy.
    await client.hset(tagsKey(file), 'latest.u.producer.label', 'L');
    await client.lpush(`step.u.${step}`, encodeMessage(messageFor(inbox, name, 'created')));
  };
  await feed('strict', 'good.bz2', bzip2('bzip2 text\n'));
  await feed('strict', 'bad.bz2', Buffer.from('not bzip2 at all\n'));
  await feed('lenient', 'good.bz2', bzip2('bzip2 text\n'));
  await feed('lenient', 'plain.txt', Buffer.from('plain text\n'));
  await feed('gz', 'good.gz', zlib.gzipSync('gzip text\n'));
  await feed('gz', 'bad.gz', Buffer.from('not gzip\n'));
  // Started once both files of each step wait: a new worker pops its first file alone, so the tags of the first are
  // dropped with the second's claim; those of the second (when it is not failed) wait for the next claim or the stop.
  workers.push(...steps.map(([name]) => startWorker(home, 'u', name, env)));

  // counter.* counts every claimed file (failed ones too); the step's tmp area is empty once both are finished.
  const idle = (s: string): boolean => listFiles(path.join(home.home.inDir, 'tmp', `u.${s}`)).filter((f) => !f.startsWith('.')).length === 0;
  // The failure count is written after the failed file left tmp/ (trash first, then its trace): waited for too.
  const failures: Record<string, string | null> = { strict: '1', lenient: null, gz: '1' };
  await waitFor('every step done with its two files', async () =>
    (await Promise.all(steps.map(async ([s]) => (await client.get(`counter.u.${s}`)) === '2' && idle(s)
      && (failures[s] === null || (await client.get(`failed.u.${s}`)) === failures[s])))).every(Boolean), 60_000);
  assert.deepEqual(listFiles(out), ['good.bz2.lenient.L.copy', 'good.bz2.strict.L.copy', 'good.gz.gz.L.copy', 'plain.txt.lenient.L.claimed']);
  assert.equal(fs.readFileSync(path.join(out, 'good.bz2.strict.L.copy'), 'utf8'), 'bzip2 text\n');
  assert.equal(fs.readFileSync(path.join(out, 'good.bz2.lenient.L.copy'), 'utf8'), 'bzip2 text\n');
  assert.equal(fs.readFileSync(path.join(out, 'good.gz.gz.L.copy'), 'utf8'), 'gzip text\n');
  assert.equal(fs.readFileSync(path.join(out, 'plain.txt.lenient.L.claimed'), 'utf8'), 'plain text\n', 'try_: the step got the file as it came');
  // Strict: bad data failed (failure policy keep), the step never ran for it.
  assert.equal(await client.get('failed.u.strict'), '1');
  assert.equal(await client.get('failed.u.gz'), '1');
  assert.equal(await client.get('failed.u.lenient'), null);
  const kept = (step: string): string[] => listFiles(path.join(home.home.inDir, 'trash', `u.${step}`)).filter((f) => !f.endsWith('.tags'));
  assert.equal(kept('strict').length, 1);
  assert.equal(kept('gz').length, 1);
  // The uncompressed copies were removed after the call, their tags with them.
  for (const [s] of steps) assert.deepEqual(listFiles(path.join(home.home.inDir, 'tmp', `u.${s}`)).filter((f) => !f.startsWith('.')), [], `tmp/u.${s} is empty`);
  // Tag hashes left: the last processed claim of lenient (plain.txt; strict's and gz's last files failed, their tags
  // went with the policy), none for the 3 uncompressed copies, whose tags are copies of their source's.
  const left = await Promise.all((await client.keys('xattr_*')).map(async (k) => client.hget(k, 'first.core.original_basename')));
  assert.deepEqual(left.sort(), ['plain.txt']);
});
