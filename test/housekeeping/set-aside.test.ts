// Entries a worker set aside in the trash (symbolic links, FIFOs: docs/DELIVERY.md "Bad input") age out like files:
// the link is removed, never its target, and a FIFO is removed without being opened.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runtimeHome } from '../../runtime/home';
import { Housekeeper } from '../../runtime/housekeeping/housekeeper';

const MIN = 60_000;

test('old links and FIFOs in the trash are deleted with their .tags; a young one and every link target stay', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-hk-aside-')));
  try {
    const home = path.join(root, 'home');
    const trash = path.join(runtimeHome(home).inDir, 'trash', 'p.s');
    fs.mkdirSync(trash, { recursive: true });
    const target = path.join(root, 'target');
    fs.writeFileSync(target, 'must stay');
    const aged = (p: string, minutes: number): string => {
      const t = (Date.now() - minutes * MIN) / 1000;
      fs.lutimesSync(p, t, t);
      return p;
    };
    const oldLink = path.join(trash, 'old-link');
    fs.symlinkSync(target, oldLink);
    aged(oldLink, 2000);
    fs.writeFileSync(`${oldLink}.tags`, 'x = y\n');
    aged(`${oldLink}.tags`, 2000);
    const fifo = path.join(trash, 'old-fifo');
    assert.equal(spawnSync('mkfifo', ['--', fifo]).status, 0);
    aged(fifo, 2000);
    const youngLink = path.join(trash, 'young-link');
    fs.symlinkSync(target, youngLink);
    await new Housekeeper({ home, intervalMs: 300_000, limits: { trashMaxMs: 1440 * MIN, otherMaxMs: 360 * MIN }, log: () => undefined }).runOnce();
    assert.deepEqual(fs.readdirSync(trash), ['young-link']);
    assert.equal(fs.readFileSync(target, 'utf8'), 'must stay');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
