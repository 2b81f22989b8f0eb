// builtin:unbzip2 with the real bzip2(1): MFDATA's default flow for bzip2 files (guess_file_type's `bzip2 compressed
// data*` → unbzip2 → guess_file_type again → a plugin), bad data to the failure policy, and a missing bzip2 named with the step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Bzip2MissingError, InvalidCompressedDataError, uncompressFile } from '../../runtime/steps/uncompress';
import { listFiles, startRuntime, waitFor, writeWorkspacePlugin } from './runtime-harness';

/** Real bzip2 output of `text`. */
function bzip2(text: string): Buffer {
  const r = spawnSync('bzip2', ['-c', '-9'], { input: text });
  if (r.status !== 0) throw new Error(`bzip2 -c failed: ${String(r.stderr)} (apt-get install -y bzip2)`);
  return r.stdout;
}

const TEXT = 'temperature 21.5\n'.repeat(200);

test('uncompressFile streams bzip2 -d into <out>.t, renames it whole, and leaves nothing behind on bad data', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-unbzip2-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const good = bzip2(TEXT);
  const cases: Record<string, Buffer> = { good, truncated: good.subarray(0, Math.floor(good.length / 2)), corrupt: Buffer.concat([good.subarray(0, 10), Buffer.alloc(good.length - 10, 0x55)]), empty: Buffer.alloc(0), gzip: Buffer.from('1f8b0800000000000003', 'hex') };
  for (const [name, bytes] of Object.entries(cases)) fs.writeFileSync(path.join(dir, name), bytes);
  await uncompressFile('bzip2', path.join(dir, 'good'), path.join(dir, 'good.out'));
  assert.equal(fs.readFileSync(path.join(dir, 'good.out'), 'utf8'), TEXT);
  for (const name of ['truncated', 'corrupt', 'empty', 'gzip']) {
    await assert.rejects(uncompressFile('bzip2', path.join(dir, name), path.join(dir, `${name}.out`)), (err: Error) => {
      assert.ok(err instanceof InvalidCompressedDataError, `${name}: ${err.message}`);
      assert.match(err.message, new RegExp(`${name} is not valid bzip2 data: bzip2: `));
      return true;
    });
  }
  assert.deepEqual(fs.readdirSync(dir).sort(), ['corrupt', 'empty', 'good', 'good.out', 'gzip', 'truncated'], 'no .out nor .t file for bad data');
});

test('without bzip2 the error names the step and the fix; the source file is untouched', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-unbzip2-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'in'), bzip2('x\n'));
  const where = "plugin 'bunzip' [step_main] (builtin:unbzip2)";
  await assert.rejects(uncompressFile('bzip2', path.join(dir, 'in'), path.join(dir, 'out'), { bzip2Command: path.join(dir, 'no-bzip2'), where }), (err: Error) => {
    assert.ok(err instanceof Bzip2MissingError);
    assert.equal(err.message, `${where}: cannot run '${path.join(dir, 'no-bzip2')}' (not found): install bzip2 (apt-get install -y bzip2) or put it on the worker's PATH`);
    return true;
  });
  assert.deepEqual(fs.readdirSync(dir), ['in']);
});

test('a bzip2 file dropped in incoming/ is recognised (bzip2 compressed data*), uncompressed by builtin:unbzip2 and delivered; truncated, corrupt and empty files go to the failure policy with their tags', async () => {
  let out = '';
  const rt = await startRuntime((ws, root) => {
    out = path.join(root, 'out');
    fs.writeFileSync(path.join(ws, 'mfdata.ini'), '[internal_plugins]\ninstall_guess_file_type = 1\n\n[autorestart]\nflag = 0\n');
    writeWorkspacePlugin(ws, 'bunzip', [
      '[step_main]', '_step_module = builtin:unbzip2', '',
      '[switch_rules:fnmatch:latest.guess_file_type.main.system_magic]', 'bzip2 compressed data* = main', '',
    ].join('\n'));
    writeWorkspacePlugin(ws, 'texts', [
      '[step_main]', '_step_module = builtin:move', `dest_dir = ${out}`, 'dest_basename = {ORIGINAL_BASENAME}', '',
      '[switch_rules:regex:latest.guess_file_type.main.system_magic]', '^(ASCII|Unicode text) = main', '',
    ].join('\n'));
  });
  try {
    const good = bzip2(TEXT);
    rt.drop(rt.home.incomingDir, 'report.txt.bz2', good);
    await waitFor(() => listFiles(out).length === 1, 'the uncompressed file delivered to texts/main', 30000, rt.home.logDir);
    assert.deepEqual(listFiles(out), ['report.txt.bz2']);
    assert.equal(fs.readFileSync(path.join(out, 'report.txt.bz2'), 'utf8'), TEXT, 'delivered uncompressed, under its original name');

    // Bad data: routed by its header (truncated, corrupt) or dropped straight into the step's inbox (empty).
    rt.drop(rt.home.incomingDir, 'truncated.bz2', good.subarray(0, Math.floor(good.length / 2)));
    rt.drop(rt.home.incomingDir, 'corrupt.bz2', Buffer.concat([good.subarray(0, 10), Buffer.alloc(good.length - 10, 0x55)]));
    rt.drop(path.join(rt.home.inDir, 'step.bunzip.main'), 'empty.bz2', Buffer.alloc(0));
    const trash = path.join(rt.home.inDir, 'trash', 'bunzip.main');
    await waitFor(() => listFiles(trash).filter((f) => !f.endsWith('.tags')).length === 3, 'three failed files kept (failure_policy keep)', 30000, rt.home.logDir);
    const tagFiles = listFiles(trash).filter((f) => f.endsWith('.tags'));
    assert.equal(tagFiles.length, 3, 'each kept with its .tags');
    const originals = tagFiles.map((f) => /original_basename = (.*)/.exec(fs.readFileSync(path.join(trash, f), 'utf8'))?.[1]).sort();
    assert.deepEqual(originals, ['corrupt.bz2', 'empty.bz2', 'truncated.bz2']);
    const kept = listFiles(trash).filter((f) => !f.endsWith('.tags')).map((f) => fs.statSync(path.join(trash, f)).size).sort((a, b) => a - b);
    assert.deepEqual(kept, [0, Math.floor(good.length / 2), good.length], 'kept as they came, not half-uncompressed');
    const log = fs.readFileSync(path.join(rt.home.logDir, 'step_bunzip_main.log'), 'utf8');
    assert.equal(log.match(/not a valid bzip2 file/g)?.length, 3, 'one warning per bad file');
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'tmp', 'bunzip.main')).filter((f) => !f.includes('.workers')), [], 'no partial output left in the step tmp area');
    assert.deepEqual(listFiles(out), ['report.txt.bz2'], 'nothing else delivered');
  } finally {
    await rt.stop();
  }
});
