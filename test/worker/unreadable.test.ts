// A file the worker may not read goes through the failure policy (trash + .tags, content intact), once: no crash
// loop, and the worker keeps processing the files after it. Run as `nobody` when the tests run as root (root reads anything).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dropFile, listFiles, waitFor, type RunAs } from '../datapath/harness';
import { parseTagsFile } from '../../runtime/tags/tag-names';
import { startOneWorker } from './one-worker';

const READ_AND_COPY = `
import * as fs from 'node:fs';
import * as path from 'node:path';
export function process(file, ctx) {
  const data = fs.readFileSync(file.path);
  const out = ctx.getCustom('out');
  fs.writeFileSync(path.join(out, '.' + file.uid), data);
  fs.renameSync(path.join(out, '.' + file.uid), path.join(out, file.originalBasename));
  return true;
}
`;

const NOBODY: RunAs = { uid: 65534, gid: 65534 };
const asRoot = process.getuid?.() === 0;

function chownTree(dir: string, who: RunAs): void {
  fs.chownSync(dir, who.uid, who.gid);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) chownTree(p, who);
    else fs.lchownSync(p, who.uid, who.gid);
  }
}

test('files without read permission (owned by the worker\'s user, or by another user) are trashed intact with a reason; the worker goes on', async (t) => {
  const runAs = asRoot ? NOBODY : undefined;
  const { client, inbox, trash, tmp, worker, push, plugin } = await startOneWorker(t, 'u', [{ name: 'main', source: READ_AND_COPY }], {
    custom: (home) => ({ out: path.join(home.dir, 'out') }),
    redisArgs: ['--unixsocketperm', '777'],
    runAs,
    prepare(home, _plugin, redis) {
      fs.chmodSync(redis.dir, 0o755);
      fs.mkdirSync(path.join(home.dir, 'out'));
      if (runAs) chownTree(home.dir, runAs);
    },
  });
  const out = plugin.custom.out;
  const mine = dropFile(inbox, 'no-read-mine', 'secret of mine');
  if (runAs) fs.chownSync(mine, runAs.uid, runAs.gid);
  fs.chmodSync(mine, 0o000);
  const names = ['no-read-mine'];
  if (asRoot) {
    // Owned by root, mode 000: the worker (nobody) may rename it (it owns the directory) but neither read nor link it.
    const theirs = dropFile(inbox, 'no-read-theirs', 'secret of root');
    fs.chmodSync(theirs, 0o000);
    names.push('no-read-theirs');
  }
  for (const name of names) await push(inbox, name);
  dropFile(inbox, 'readable', 'fine');
  if (runAs) fs.chownSync(path.join(inbox, 'readable'), runAs.uid, runAs.gid);
  await push(inbox, 'readable');

  await waitFor('the readable file after them processed', () => listFiles(out).includes('readable'), 30_000);
  await waitFor('the unreadable files trashed', () => names.every((n) => listFiles(trash).includes(`${n}.tags`)));
  assert.equal(fs.readFileSync(path.join(trash, 'no-read-mine'), 'utf8'), 'secret of mine');
  if (asRoot) assert.equal(fs.readFileSync(path.join(trash, 'no-read-theirs'), 'utf8'), 'secret of root');
  for (const n of names) {
    assert.equal(fs.statSync(path.join(trash, n)).mode & 0o777, 0, 'permissions kept as they were');
    const tags = parseTagsFile(fs.readFileSync(path.join(trash, `${n}.tags`), 'utf8'));
    assert.match(tags['latest.core.failure_reason'], /EACCES/);
  }
  assert.equal(await client.get('failed.u.main'), String(names.length));
  assert.equal(await client.get('counter.u.main'), String(names.length + 1), 'each file claimed once: no retry loop');
  await waitFor('no claim left in tmp/', () => listFiles(tmp).length === 0);
  assert.deepEqual(listFiles(inbox), []);
  assert.equal(worker.child.exitCode, null, 'the worker is still running');
});
