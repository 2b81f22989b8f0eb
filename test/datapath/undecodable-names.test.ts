// File names that are not valid UTF-8 (Latin-1 bytes, cut sequences): renamed in place by the observer, each
// undecodable byte as %XX, then processed like any file; none is left behind in its inbox.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, waitFor } from './harness';
import { startPipeline } from './pipeline';
import { isUtf8Name, utf8SafeName } from '../../runtime/observer/undecodable-names';

const RAW = (hex: string): Buffer => Buffer.from(hex.replace(/ /g, ''), 'hex');

test('utf8SafeName keeps valid sequences and writes every other byte as %XX', () => {
  assert.equal(utf8SafeName(Buffer.from('café-日本.txt')), 'café-日本.txt');
  assert.equal(utf8SafeName(Buffer.concat([Buffer.from('caf'), RAW('e9'), Buffer.from('.txt')])), 'caf%E9.txt');
  assert.equal(utf8SafeName(RAW('ff fe')), '%FF%FE');
  assert.equal(utf8SafeName(Buffer.concat([Buffer.from('cut-'), RAW('e6 97')])), 'cut-%E6%97', 'a sequence cut short');
  assert.equal(utf8SafeName(RAW('c0 af')), '%C0%AF', 'an overlong slash is not a slash');
  assert.equal(utf8SafeName(RAW('ed a0 80')), '%ED%A0%80', 'a UTF-16 surrogate is not UTF-8');
  assert.ok(isUtf8Name(Buffer.from('real \uFFFD replacement character')));
  assert.ok(!isUtf8Name(RAW('ff')));
});

/** Writes a file under a raw byte name, the producer way (`.t` then rename). */
function dropRaw(dir: string, raw: Buffer, content: string): void {
  const tmp = path.join(dir, `.raw-${raw.toString('hex').slice(0, 40)}.t`);
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, Buffer.concat([Buffer.from(dir + path.sep), raw]));
}

test('files named with undecodable bytes, there at start-up or arriving later, are renamed and delivered; a real U+FFFD name is untouched', async (t) => {
  const p = await startPipeline();
  t.after(() => p.close());
  p.startWorker('main');
  p.startWorker('store');
  const early = Buffer.concat([Buffer.from('early-caf'), RAW('e9')]);
  dropRaw(p.inbox, early, 'early latin-1');
  dropRaw(p.inbox, Buffer.from('real-\uFFFD'), 'a real replacement character');
  // Both there before the observer starts: the safe name of the second is taken by the first when it is renamed.
  dropRaw(p.inbox, Buffer.from('%FF%FE'), 'taken name');
  dropRaw(p.inbox, RAW('ff fe'), 'two bad bytes');
  const observer = p.startObserver();
  await waitFor('observer started', () => observer.records.some((r) => r.event === 'directory observer started'));
  // Arriving later: seen by inotifywait (IN_MOVED_TO with the raw bytes).
  dropRaw(p.inbox, Buffer.concat([Buffer.from('cut-'), RAW('e6 97')]), 'cut sequence');
  const expected: Record<string, string> = {
    'early-caf%E9': 'early latin-1', 'real-\uFFFD': 'a real replacement character', 'cut-%E6%97': 'cut sequence', '%FF%FE': 'taken name',
  };
  await waitFor('every file delivered', () => listFiles(p.out).length === 5, 20_000);
  const out = listFiles(p.out);
  for (const [name, content] of Object.entries(expected)) {
    assert.ok(out.includes(name), `${name} in ${JSON.stringify(out)}`);
    assert.equal(fs.readFileSync(path.join(p.out, name), 'utf8'), content);
  }
  const other = out.find((n) => !(n in expected)) ?? '';
  assert.match(other, /^%FF%FE\.[0-9a-f]{8}$/, 'the safe name was taken: a suffix, nothing replaced');
  assert.equal(fs.readFileSync(path.join(p.out, other), 'utf8'), 'two bad bytes');
  await waitFor('nothing left behind', () => p.leftovers().length === 0);
  assert.ok(observer.records.some((r) => r.event === 'a file name that is not valid UTF-8 was renamed (each undecodable byte as %XX)' && r.original_bytes === early.toString('hex')));
});
