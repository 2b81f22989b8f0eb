// Moves into a step inbox never replace a waiting file of the same name, even when two movers race for the name:
// a symlink(2) placeholder reserves the name (EEXIST is atomic) and the rename replaces only it. Real files, real
// child processes, a real runtime with its observer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { moveIntoInbox, RESERVED_NAME_TARGET } from '../../runtime/tags/inbox-name';
import { renameOrCopy } from '../../runtime/tags/tagged-file';
import { listFiles, startRuntime, waitFor, writeWorkspacePlugin } from './runtime-harness';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-inbox-name-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `count` source files `<tag>-<i>` with distinct contents in `dir/src-<tag>`. */
function sources(dir: string, tag: string, count: number): string[] {
  const src = path.join(dir, `src-${tag}`);
  fs.mkdirSync(src, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const file = path.join(src, `${tag}-${i}`);
    fs.writeFileSync(file, `${tag} ${i}\n`);
    return file;
  });
}

/** Every file of `dir` by content: each content once, none lost, no reservation left. */
function contentsOf(dir: string): string[] {
  return fs.readdirSync(dir).map((n) => {
    const st = fs.lstatSync(path.join(dir, n));
    assert.ok(st.isFile(), `${n} is a file (not a reservation left behind)`);
    return fs.readFileSync(path.join(dir, n), 'utf8');
  }).sort();
}

const ways = {
  'a symlink(2) reservation then rename(2)': (src: string, dest: string) => moveIntoInbox(dest, (dst) => renameOrCopy(src, dst)),
};
for (const [way, move] of Object.entries(ways)) {
  test(`many concurrent moves to one name in one process, by ${way}: every file kept under its own name`, async (t) => {
    const dir = tempDir(t);
    const inbox = path.join(dir, 'inbox');
    fs.mkdirSync(inbox);
    const files = sources(dir, 'a', 60);
    const placed = await Promise.all(files.map((f) => move(f, path.join(inbox, 'same.csv'))));
    assert.equal(new Set(placed).size, 60, 'sixty distinct names');
    assert.ok(placed.includes(path.join(inbox, 'same.csv')));
    assert.ok(placed.every((p) => /^same(\.[0-9a-f]{8})?\.csv$/.test(path.basename(p))), placed.join(','));
    assert.deepEqual(contentsOf(inbox), files.map((_, i) => `a ${i}\n`).sort());
    assert.deepEqual(fs.readdirSync(path.join(dir, 'src-a')), [], 'every source entry gone');
  });
}

test('two processes racing to move files into one inbox, all under the same name, many at once: every file of both is found', async (t) => {
  const dir = tempDir(t);
  const inbox = path.join(dir, 'inbox');
  fs.mkdirSync(inbox);
  const N = 150;
  for (const tag of ['x', 'y']) sources(dir, tag, N);
  // Each mover moves its N files to inbox/same.csv all at once (as a worker's concurrent routes do); both start on the same signal.
  const mover = (tag: string): Promise<void> => new Promise((resolve, reject) => {
    const script = `
      const path = require('node:path');
      const { moveIntoInbox } = require(${JSON.stringify(path.join(__dirname, '../../runtime/tags/inbox-name.js'))});
      const { renameOrCopy } = require(${JSON.stringify(path.join(__dirname, '../../runtime/tags/tagged-file.js'))});
      process.stdin.once('data', async () => {
        await Promise.all(Array.from({ length: ${N} }, (_, i) => {
          const src = path.join(${JSON.stringify(dir)}, 'src-${tag}', '${tag}-' + i);
          return moveIntoInbox(path.join(${JSON.stringify(inbox)}, 'same.csv'), (dst) => renameOrCopy(src, dst));
        }));
        process.exit(0);
      });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mover ${tag} exited ${code}`))));
    children.push(child);
  });
  const children: ReturnType<typeof spawn>[] = [];
  const done = Promise.all([mover('x'), mover('y')]);
  for (const c of children) c.stdin?.end('go\n');
  await done;
  const expected = ['x', 'y'].flatMap((tag) => Array.from({ length: N }, (_, i) => `${tag} ${i}\n`)).sort();
  assert.deepEqual(contentsOf(inbox), expected, `all ${2 * N} files, none replaced`);
  assert.ok(fs.existsSync(path.join(inbox, 'same.csv')), 'the name itself taken by one of them');
});

test('a taken name gets its random part before the extension (an only filter on the extension still matches), and fits NAME_MAX', async (t) => {
  const dir = tempDir(t);
  const placeAs = async (name: string): Promise<string> => {
    const src = path.join(dir, 'src');
    fs.writeFileSync(src, name);
    return path.basename(await moveIntoInbox(path.join(dir, name), (dst) => renameOrCopy(src, dst)));
  };
  assert.equal(await placeAs('obs.csv'), 'obs.csv');
  assert.match(await placeAs('obs.csv'), /^obs\.[0-9a-f]{8}\.csv$/);
  assert.match(await placeAs('obs.csv'), /^obs\.[0-9a-f]{8}\.csv$/);
  assert.equal(await placeAs('data.csv.gz'), 'data.csv.gz');
  assert.match(await placeAs('data.csv.gz'), /^data\.csv\.[0-9a-f]{8}\.gz$/);
  // No extension, a dot file, an extension too long or not ASCII: the random part goes at the end.
  for (const name of ['README', '.profile', 'x.averyveryverylongextension', 'r\u00e9sum\u00e9.\u00e9t\u00e9']) {
    await placeAs(name);
    assert.ok((await placeAs(name)).startsWith(`${name}.`), name);
  }
  // 255 bytes with an extension: cut in the stem, the extension kept.
  const long = `${'a'.repeat(251)}.csv`;
  assert.equal(await placeAs(long), long);
  const second = await placeAs(long);
  assert.match(second, /^a+\.[0-9a-f]{8}\.csv$/);
  assert.ok(Buffer.byteLength(second) <= 255, `${Buffer.byteLength(second)} bytes`);
});

test('a failed move gives its reserved name back; a file that replaced the reservation is never removed', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(moveIntoInbox(path.join(dir, 'n.txt'), async () => { throw new Error('disk on fire'); }), /disk on fire/);
  assert.deepEqual(fs.readdirSync(dir), []);
  fs.writeFileSync(path.join(dir, 'src'), 'data');
  await assert.rejects(moveIntoInbox(path.join(dir, 'n.txt'), async (dst) => { fs.renameSync(path.join(dir, 'src'), dst); throw new Error('after the rename'); }));
  assert.equal(fs.readFileSync(path.join(dir, 'n.txt'), 'utf8'), 'data');
});

test('in a running runtime, 30 files routed to one name in the next step all arrive (observer-announced); a leftover reservation is dropped, not trashed', async () => {
  let out = '';
  const rt = await startRuntime((ws, root) => {
    out = path.join(root, 'out');
    writeWorkspacePlugin(ws, 'fan', [
      '[step_main]', '_step_module = builtin:move', 'numprocesses = 2', 'dest_dir = fan/next', 'dest_basename = same.txt', '',
      '[step_next]', '_step_module = builtin:move', `dest_dir = ${out}`, 'dest_basename = {ORIGINAL_BASENAME}', '',
    ].join('\n'));
  });
  try {
    // A reservation left by a mover killed between its symlink(2) and its rename(2).
    const next = path.join(rt.home.inDir, 'step.fan.next');
    fs.mkdirSync(next, { recursive: true });
    fs.symlinkSync(RESERVED_NAME_TARGET, path.join(next, 'left.txt'));
    for (let i = 0; i < 30; i++) rt.drop(path.join(rt.home.inDir, 'step.fan.main'), `f${i}.txt`, `file ${i}\n`);
    await waitFor(() => listFiles(out).length === 30, '30 files delivered by fan/next', 30000, rt.home.logDir);
    const got = listFiles(out).map((n) => fs.readFileSync(path.join(out, n), 'utf8')).sort();
    assert.deepEqual(got, Array.from({ length: 30 }, (_, i) => `file ${i}\n`).sort());
    // The rescan at start (or forced_poll) announces the reservation: the worker drops it without a trash entry.
    await waitFor(() => !fs.existsSync(path.join(next, 'left.txt')) || undefined, 'the leftover reservation dropped', 30000, rt.home.logDir);
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'trash')), []);
  } finally {
    await rt.stop();
  }
});
