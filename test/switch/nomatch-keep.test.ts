// The switch's no-match policy `keep` with the original basename: files of the same name are all kept (never one
// over another), and a 255-byte name is kept under a name cut to leave room for its `.tags`.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, waitFor } from '../datapath/harness';
import { parseTagsFile } from '../../runtime/tags/tag-names';
import { startOneWorker } from '../worker/one-worker';

test('no match, keep with original basename: same-named files kept side by side, a 255-byte name cut, each with its .tags', async (t) => {
  const { home, client, give } = await startOneWorker(t, 'sw', [{
    name: 'main', source: '',
    config: { stepModule: 'builtin:switch', stepModulePath: undefined, options: { switch_no_match_policy: 'keep', switch_no_match_keep_original_basename: '1' } },
  }]);
  const nomatch = path.join(home.home.inDir, 'trash', 'sw.nomatch');
  const long = 'z'.repeat(255);
  const drops: Array<[string, string]> = [['same.csv', 'one'], ['same.csv', 'two'], ['same.csv', 'three'], [long, 'long one']];
  for (const [i, [name, content]] of drops.entries()) {
    await give(name, content);
    // One at a time: the next file of the same name can only be dropped once the inbox is free again.
    await waitFor(`file ${i} kept`, () => listFiles(nomatch).filter((n) => n.endsWith('.tags')).length === i + 1);
  }
  const kept = listFiles(nomatch).filter((n) => !n.endsWith('.tags'));
  assert.deepEqual(kept.filter((n) => n.startsWith('same.csv')).sort(), ['same.csv', 'same.csv.1', 'same.csv.2']);
  assert.deepEqual(kept.filter((n) => n.startsWith('same.csv')).map((n) => fs.readFileSync(path.join(nomatch, n), 'utf8')).sort(), ['one', 'three', 'two']);
  const cut = kept.find((n) => n.startsWith('zzz')) ?? '';
  assert.ok(Buffer.byteLength(`${cut}.tags`) <= 255, `${Buffer.byteLength(cut)} bytes`);
  assert.equal(fs.readFileSync(path.join(nomatch, cut), 'utf8'), 'long one');
  assert.equal(parseTagsFile(fs.readFileSync(path.join(nomatch, `${cut}.tags`), 'utf8'))['first.core.original_basename'], long);
  assert.equal(await client.get('failed.sw.main'), null, 'kept by the no-match policy, not failed');
});
