// Bad input reaching a worker: messages that point outside the step's directories are refused and counted; entries
// that are not regular files (symbolic links, FIFOs, directories) are never processed, followed, moved out or deleted.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dropFile, listFiles, waitFor } from '../datapath/harness';
import { parseTagsFile } from '../../runtime/tags/tag-names';
import { startOneWorker } from './one-worker';

/** Copies each file it is given to `out` under its original name (through a dot name: complete once listed). */
const COPY_OUT = `
import * as fs from 'node:fs';
import * as path from 'node:path';
export async function process(file, ctx) {
  const out = ctx.getCustom('out');
  fs.mkdirSync(out, { recursive: true });
  const tmp = path.join(out, '.' + file.uid);
  fs.copyFileSync(file.path, tmp);
  fs.renameSync(tmp, path.join(out, file.originalBasename));
  return true;
}
`;

async function setup(t: { after(fn: () => Promise<void>): void }) {
  const s = await startOneWorker(t, 'b', [{ name: 'main', source: COPY_OUT }, { name: 'other', source: COPY_OUT }], {
    custom: (home) => ({ out: path.join(home.dir, 'out') }), env: { MFLOG_MINIMAL_LEVEL: 'DEBUG' },
  });
  const out = s.plugin.custom.out;
  /** Drops a good file last: once it is out, every message before it was handled (one worker, FIFO). */
  const drain = async (name: string): Promise<void> => {
    await s.give(name, 'sentinel');
    await waitFor(`${name} processed`, () => listFiles(out).includes(name));
  };
  return { ...s, out, w: s.worker, drain };
}

test('messages naming files outside the step\'s directories are refused, counted, and never touch the file', async (t) => {
  const s = await setup(t);
  const victims: Record<string, string> = {};
  const victim = (file: string): string => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `victim ${file}`);
    victims[file] = `victim ${file}`;
    return file;
  };
  const outsideDir = path.join(s.home.dir, 'outside');
  victim(path.join(outsideDir, 'secret'));
  // Another step's inbox, a claim in another step's tmp/, a trashed file: inside IN/, but not this step's.
  const otherInbox = path.join(s.home.home.inDir, 'step.b.other');
  victim(path.join(otherInbox, 'theirs'));
  const claimDir = path.join(s.home.home.inDir, 'tmp', 'b.other');
  victim(path.join(claimDir, '0123456789abcdef0123456789abcdef'));
  victim(path.join(s.home.home.inDir, 'trash', 'b.other', 'kept'));
  // A directory inside the inbox that is a symbolic link to the outside.
  fs.symlinkSync(outsideDir, path.join(s.inbox, 'escape'));

  await s.push(path.join(s.inbox, '..', '..', '..', 'outside'), 'secret'); // `..` traversal
  await s.push(outsideDir, 'secret'); // plainly another directory
  await s.push(path.join(s.inbox, 'escape'), 'secret'); // a symlinked directory inside the inbox
  await s.push(otherInbox, 'theirs');
  await s.push(claimDir, '0123456789abcdef0123456789abcdef');
  await s.push(path.join(s.home.home.inDir, 'trash', 'b.other'), 'kept');
  await s.client.lpush('step.b.main', JSON.stringify({ directory: s.inbox, filename: path.join(outsideDir, 'secret') })); // absolute filename
  await s.client.lpush('step.b.main', JSON.stringify({ directory: s.inbox, filename: '../../../outside/secret' }));
  await s.client.lpush('step.b.main', JSON.stringify({ directory: s.inbox, filename: 'nul\u0000byte' }));
  await s.client.lpush('step.b.main', JSON.stringify({ directory: 'relative/dir', filename: 'secret' }));
  await s.client.lpush('step.b.main', '[1, 2, 3]');
  await s.client.lpush('step.b.main', `{"directory": "${s.inbox}", "filename": ${'"x'.repeat(5000)}`); // truncated JSON, long
  await s.drain('sentinel-1');

  for (const [file, content] of Object.entries(victims)) assert.equal(fs.readFileSync(file, 'utf8'), content, `${file} untouched`);
  assert.deepEqual(listFiles(s.out), ['sentinel-1'], 'the step ran on nothing else');
  const refused = s.w.records.filter((r) => r.event === "refused a message naming a file outside the step's directories");
  const invalid = s.w.records.filter((r) => r.event === 'skipped an invalid queue message');
  assert.equal(refused.length, 6, JSON.stringify(refused));
  assert.equal(invalid.length, 6, JSON.stringify(invalid));
  for (const r of [...refused, ...invalid]) {
    assert.equal(r.level, 'warning');
    assert.equal(r.queue, 'step.b.main');
    assert.ok(typeof r.message === 'string' && r.message.length <= 201, 'a truncated dump of the message');
  }
  assert.ok(refused.some((r) => String(r.reason).includes(`real path ${outsideDir}`)), 'the symlinked directory is resolved');
  assert.equal(await s.client.get('counter.b.main'), '1', 'only the sentinel was claimed');
  assert.equal(await s.client.get('rejected.b.main'), '12');
  assert.equal(await s.client.llen('step.b.main'), 0);
  assert.equal(s.w.child.exitCode, null, 'the worker is still running');
});

test('a message may name the inbox through another path that resolves to it (a symlinked inbox)', async (t) => {
  const s = await setup(t);
  const alias = path.join(s.home.dir, 'alias-of-inbox');
  fs.symlinkSync(s.inbox, alias);
  dropFile(s.inbox, 'via-alias', 'through the alias');
  await s.push(alias, 'via-alias');
  await waitFor('processed through the alias', () => listFiles(s.out).includes('via-alias'));
  assert.equal(fs.readFileSync(path.join(s.out, 'via-alias'), 'utf8'), 'through the alias');
});

test('a symbolic link, a dangling link and a FIFO in the inbox are set aside in the trash unread; their targets stay untouched', async (t) => {
  const s = await setup(t);
  const target = path.join(s.home.dir, 'target.txt');
  fs.writeFileSync(target, 'the target');
  fs.symlinkSync(target, path.join(s.inbox, 'link-out'));
  fs.symlinkSync(path.join(s.home.dir, 'nowhere'), path.join(s.inbox, 'dangling'));
  const mkfifo = spawnSync('mkfifo', ['--', path.join(s.inbox, 'pipe')]);
  assert.equal(mkfifo.status, 0, String(mkfifo.stderr));
  for (const name of ['link-out', 'dangling', 'pipe']) await s.push(s.inbox, name);
  await s.drain('sentinel-2');

  assert.deepEqual(listFiles(s.out), ['sentinel-2'], 'the step never ran on them');
  assert.equal(fs.readFileSync(target, 'utf8'), 'the target');
  assert.deepEqual(listFiles(s.trash).sort(), ['dangling', 'dangling.tags', 'link-out', 'link-out.tags', 'pipe', 'pipe.tags']);
  assert.equal(fs.readlinkSync(path.join(s.trash, 'link-out')), target, 'the link itself was moved, not its target');
  assert.ok(fs.lstatSync(path.join(s.trash, 'dangling')).isSymbolicLink());
  assert.ok(fs.lstatSync(path.join(s.trash, 'pipe')).isFIFO());
  const tags = parseTagsFile(fs.readFileSync(path.join(s.trash, 'link-out.tags'), 'utf8'));
  assert.match(tags['latest.core.failure_reason'], /symbolic link \(to .*target\.txt\) is not followed/);
  assert.match(parseTagsFile(fs.readFileSync(path.join(s.trash, 'pipe.tags'), 'utf8'))['latest.core.failure_reason'], /a fifo is not a regular file/);
  assert.equal(await s.client.get('failed.b.main'), '3', 'counted as failures of the step');
  await waitFor('nothing left in tmp/', () => listFiles(path.join(s.home.home.inDir, 'tmp', 'b.main')).length === 0);
  assert.deepEqual(listFiles(s.inbox), []);
});

test('a directory named by a message is left in place with its content, not processed and not deleted', async (t) => {
  const s = await setup(t);
  const dir = path.join(s.inbox, 'a-folder');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'inside'), 'keep me');
  await s.push(s.inbox, 'a-folder');
  await s.drain('sentinel-3');
  assert.equal(fs.readFileSync(path.join(dir, 'inside'), 'utf8'), 'keep me');
  assert.deepEqual(listFiles(s.out), ['sentinel-3']);
  await waitFor('nothing left in tmp/', () => listFiles(path.join(s.home.home.inDir, 'tmp', 'b.main')).length === 0);
  assert.ok(s.w.records.some((r) => r.event === 'a directory in a step directory is not processed: left in place (move it away)' && r.level === 'warning'));
});
