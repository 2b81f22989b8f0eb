// builtin:move (to an absolute directory) and builtin:archive never replace a file silently: `if_exists` = rename
// (default: keep both as name, name.1…), replace (MFDATA's behaviour, opted in) or fail (failure policy). Real
// workers, real redis-server, real files; one destination on another file system (/dev/shm) for the copy path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatProblem } from '../../runtime/config/errors';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { stepInbox } from '../../runtime/home';
import { FAILURE_REASON, parseTagsFile } from '../../runtime/tags/tag-names';
import { listFiles, waitFor } from '../datapath/harness';
import { startOneWorker, type OneWorker } from '../worker/one-worker';
import { listFiles as listTree, startRuntime, waitFor as waitUntil, writeWorkspacePlugin } from './runtime-harness';

/** A destination directory removed when the test ends (under `base`, which may be another file system). */
function outDir(t: { after(fn: () => void): void }, base = os.tmpdir()): string {
  const dir = fs.mkdtempSync(path.join(base, 'mfdata-nc-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function builtin(module: string, options: Record<string, string>): { name: string; source: string; config: { stepModule: string; options: Record<string, string> } } {
  return { name: 'main', source: '', config: { stepModule: module, options } };
}

/** Gives the files one after the other, each once the previous one left the inbox (same inbox name every time). */
async function giveInTurn(w: OneWorker, name: string, contents: string[], done: (i: number) => boolean): Promise<void> {
  for (let i = 0; i < contents.length; i++) {
    await w.give(name, contents[i]);
    await waitFor(`file ${i} handled`, () => done(i));
  }
}

const read = (dir: string, name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');

const otherFs = fs.statSync(os.tmpdir()).dev !== fs.statSync('/dev/shm', { throwIfNoEntry: false })?.dev;
for (const [where, base] of [['on the same file system', os.tmpdir()], ['on another file system (/dev/shm: copied through a .t)', '/dev/shm']] as const) {
  test(`move to an absolute directory ${where}: two files of the same name are both kept (name, name.1), contents intact`, { skip: base === '/dev/shm' && !otherFs && 'no second file system' }, async (t) => {
    const out = outDir(t, base);
    fs.writeFileSync(path.join(out, 'same.txt'), 'already there');
    const w = await startOneWorker(t, 'mv', [builtin('builtin:move', { dest_dir: out })]);
    await giveInTurn(w, 'same.txt', ['first', 'second'], (i) => listFiles(out).length === i + 2);
    assert.deepEqual(listFiles(out).sort(), ['same.txt', 'same.txt.1', 'same.txt.2'], 'no .t temporary left behind');
    assert.equal(read(out, 'same.txt'), 'already there', 'the file that was there first is untouched');
    assert.equal(read(out, 'same.txt.1'), 'first');
    assert.equal(read(out, 'same.txt.2'), 'second');
    assert.deepEqual(listFiles(w.inbox), []);
    assert.deepEqual(listFiles(w.trash), [], 'nothing failed');
  });
}

test('archive with a dest_basename that collides: both files kept, each with the tags file of its final name', async (t) => {
  const out = outDir(t);
  const w = await startOneWorker(t, 'ar', [builtin('builtin:archive', { dest_dir: out, dest_basename: 'day/{ORIGINAL_BASENAME}' })]);
  const day = path.join(out, 'day');
  await giveInTurn(w, 'obs.csv', ['one', 'two'], (i) => listFiles(day).length === 2 * (i + 1));
  assert.deepEqual(listFiles(day).sort(), ['obs.csv', 'obs.csv.1', 'obs.csv.1.tags', 'obs.csv.tags']);
  assert.equal(read(day, 'obs.csv'), 'one');
  assert.equal(read(day, 'obs.csv.1'), 'two');
  const uids = ['obs.csv.tags', 'obs.csv.1.tags'].map((n) => parseTagsFile(read(day, n))['first.core.original_uid']);
  assert.ok(uids[0] && uids[1] && uids[0] !== uids[1], `each tags file describes its own file (uids ${uids.join(', ')})`);
});

test('archive: a file never lands where its tags file would replace an archived file (a.tags, then a)', async (t) => {
  const out = outDir(t);
  const w = await startOneWorker(t, 'at', [builtin('builtin:archive', { dest_dir: out, dest_basename: '{ORIGINAL_BASENAME}' })]);
  await w.give('a.tags', 'PRECIOUS DATA');
  await waitFor('a.tags archived', () => listFiles(out).length === 2);
  await w.give('a', 'the second file');
  await waitFor('a archived', () => listFiles(out).length === 4);
  assert.deepEqual(listFiles(out).sort(), ['a.1', 'a.1.tags', 'a.tags', 'a.tags.tags']);
  assert.equal(read(out, 'a.tags'), 'PRECIOUS DATA', 'the archived file is intact');
  assert.equal(read(out, 'a.1'), 'the second file');
});

const FAIL_STEP = 'export function process(): boolean { return false; }\n';

test('failure policy keep: a failed file never lands where its .tags would replace a trashed file (x.tags, then x)', async (t) => {
  const w = await startOneWorker(t, 'fk', [{ name: 'main', source: FAIL_STEP }]);
  await w.give('x.tags', 'PRECIOUS DATA');
  await waitFor('x.tags trashed', () => listFiles(w.trash).length === 2);
  await w.give('x', 'failed too');
  await waitFor('x trashed', () => listFiles(w.trash).length === 4);
  assert.deepEqual(listFiles(w.trash).sort(), ['x.1', 'x.1.tags', 'x.tags', 'x.tags.tags']);
  assert.equal(read(w.trash, 'x.tags'), 'PRECIOUS DATA', 'the trashed file is intact');
  assert.match(read(w.trash, 'x.1.tags'), /original_basename = x$/m);
});

test('failure policy move to a directory on another file system: copied through a temporary name, none left', { skip: !otherFs && 'no second file system' }, async (t) => {
  const out = outDir(t, '/dev/shm');
  const w = await startOneWorker(t, 'fm', [{ name: 'main', source: FAIL_STEP, config: { failurePolicy: 'move', failurePolicyMoveDestDir: out } }]);
  fs.writeFileSync(path.join(out, 'big.bin'), 'already there');
  await w.give('big.bin', 'x'.repeat(1_000_000));
  await waitFor('moved with its tags', () => listFiles(out).length === 3);
  assert.deepEqual(fs.readdirSync(out).sort(), ['big.bin', 'big.bin.1', 'big.bin.1.tags'], 'no temporary left');
  assert.equal(read(out, 'big.bin'), 'already there');
  assert.equal(fs.statSync(path.join(out, 'big.bin.1')).size, 1_000_000);
  assert.deepEqual(listFiles(w.tmp), []);
});

test('if_exists = replace (MFDATA, opted in): the second file of a name replaces the first', async (t) => {
  const out = outDir(t);
  const w = await startOneWorker(t, 'rp', [builtin('builtin:move', { dest_dir: out, if_exists: 'replace' })]);
  await giveInTurn(w, 'same.txt', ['first', 'second'], () => listFiles(w.inbox).length === 0 && listFiles(out).length === 1);
  await waitFor('the second file replaced the first', () => read(out, 'same.txt') === 'second');
  assert.deepEqual(listFiles(out), ['same.txt']);
  assert.deepEqual(listFiles(w.trash), []);
});

test('if_exists = fail: the second file of a name goes to its failure policy intact, the first is untouched', async (t) => {
  const out = outDir(t);
  const w = await startOneWorker(t, 'fl', [builtin('builtin:move', { dest_dir: out, if_exists: 'fail' })]);
  await giveInTurn(w, 'same.txt', ['first', 'second'], (i) => (i === 0 ? listFiles(out).length === 1 : listFiles(w.trash).length === 2));
  assert.deepEqual(listFiles(out), ['same.txt']);
  assert.equal(read(out, 'same.txt'), 'first');
  assert.deepEqual(listFiles(w.trash).sort(), ['same.txt', 'same.txt.tags']);
  assert.equal(read(w.trash, 'same.txt'), 'second');
  assert.match(parseTagsFile(read(w.trash, 'same.txt.tags'))[FAILURE_REASON] ?? '', /already exists and if_exists = fail/);
});

test('two workers (numprocesses = 2) moving many files to one name: none is lost, none is replaced', async () => {
  const N = 60;
  let out = '';
  const rt = await startRuntime((ws, root) => {
    out = path.join(root, 'out');
    writeWorkspacePlugin(ws, 'busy', ['[step_main]', '_step_module = builtin:move', 'numprocesses = 2', `dest_dir = ${out}`, 'dest_basename = same.dat', ''].join('\n'));
  });
  try {
    const inbox = stepInbox(rt.home, 'busy', 'main');
    for (let i = 0; i < N; i++) rt.drop(inbox, `f${i}.dat`, `content ${i}`);
    await waitUntil(() => listTree(out).length === N, `${N} files in ${out}`, 45000, rt.home.logDir);
    const names = listTree(out);
    assert.ok(names.includes('same.dat') && names.every((n) => /^same\.dat(\.\d+)?$/.test(n)), names.join(', '));
    const contents = names.map((n) => read(out, n)).sort();
    assert.deepEqual(contents, Array.from({ length: N }, (_, i) => `content ${i}`).sort(), 'every content exactly once');
    assert.deepEqual(listTree(path.join(rt.home.inDir, 'trash')), [], 'nothing failed');
  } finally {
    await rt.stop();
  }
});

test('config check refuses an unknown if_exists value, naming the file, line and the allowed values', (t) => {
  const ws = outDir(t);
  writeWorkspacePlugin(ws, 'bad', ['[step_main]', '_step_module = builtin:archive', `dest_dir = ${ws}/out`, 'if_exists = overwrite', ''].join('\n'));
  const loaded = loadRuntimeConfig({ workspace: ws, home: path.join(ws, 'h'), env: process.env });
  const errors = loaded.problems.filter((p) => p.severity === 'error').map(formatProblem);
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0], /plugins\/bad\/config\.ini:\d+.*if_exists.*rename.*replace.*fail/);
});
