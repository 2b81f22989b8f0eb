// writeFileWhole on a file system that is full: no truncated file is ever visible, the write waits for space and
// completes once some is freed; other errors are thrown at once. A real 1 MiB tmpfs (root only).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileWhole } from '../../runtime/util/write-whole';
import { fillUp } from '../helpers/fill-up';
import { waitFor } from '../datapath/harness';

const canMount = process.platform === 'linux' && process.getuid?.() === 0;

test('on a full tmpfs the write waits without leaving a partial file, then completes whole when space returns', { skip: canMount ? false : 'mounting a tmpfs needs root on Linux', timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, `mount: ${r.stderr}`);
  try {
    const filler = path.join(dir, 'filler');
    fillUp(filler);
    const target = path.join(dir, 'x.tags');
    const content = 'latest.core.failure_reason = a reason\n'.repeat(300); // > one page: the write needs new pages
    let told: string | undefined;
    let done = false;
    const writing = writeFileWhole(target, content, { onFull: (err) => { told = err.code; } }).then(() => { done = true; });
    await waitFor('the full disk reported', () => told !== undefined, 10_000);
    assert.equal(told, 'ENOSPC');
    await new Promise((res) => setTimeout(res, 500));
    assert.equal(done, false, 'still waiting for space');
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n !== 'filler'), [], 'neither the target nor a temporary file while full');
    fs.rmSync(filler);
    await writing;
    assert.equal(fs.readFileSync(target, 'utf8'), content);
    assert.deepEqual(fs.readdirSync(dir), ['x.tags'], 'no temporary file left');
  } finally {
    spawnSync('umount', ['-l', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('errors other than a full disk are thrown at once, and a deadline ends the wait', async () => {
  await assert.rejects(writeFileWhole(path.join(os.tmpdir(), 'no-such-dir-mfdata', 'f'), 'x'), /ENOENT/);
  if (!canMount) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-full-'));
  assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]).status, 0);
  try {
    fillUp(path.join(dir, 'filler'));
    await assert.rejects(writeFileWhole(path.join(dir, 'y'), 'z'.repeat(20_000), { maxWaitMs: 300 }), /ENOSPC/);
    assert.deepEqual(fs.readdirSync(dir), ['filler']);
  } finally {
    spawnSync('umount', ['-l', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
