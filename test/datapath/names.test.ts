// End to end: awkward file names, and a file that arrives while the observer is down, are all processed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dropFile, listFiles, waitFor } from './harness';
import { startPipeline } from './pipeline';

const NAMES = [
  'with spaces in it.txt',
  'ünïcødé-日本語-😀.txt',
  '-leading-dash',
  '--looks-like-an-option',
  'n'.repeat(255),
  'é'.repeat(127) + 'x', // 255 bytes in UTF-8
  'new\nline',
  "quote'and\"double",
  'tab\there',
];

test('names with spaces, unicode, a leading dash, 255 bytes, a newline; and a file that appears while the observer is down: all processed', async (t) => {
  const p = await startPipeline();
  t.after(() => p.close());
  p.startWorker('main');
  p.startWorker('store');
  // The observer is not running yet: this file is only found by its start-up rescan.
  dropFile(p.inbox, 'arrived-while-down', 'early');
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(listFiles(p.out), []);
  const observer = p.startObserver();
  await waitFor('observer started', () => observer.records.some((r) => r.event === 'directory observer started'));
  for (const name of NAMES) {
    assert.ok(Buffer.byteLength(name) <= 255, name);
    dropFile(p.inbox, name, `content of ${name}`);
  }
  await waitFor('every file delivered', () => listFiles(p.out).length === NAMES.length + 1, 20_000);
  assert.deepEqual(listFiles(p.out).sort(), [...NAMES, 'arrived-while-down'].sort());
  for (const name of NAMES) assert.equal(fs.readFileSync(path.join(p.out, name), 'utf8'), `content of ${name}`);
  assert.equal(fs.readFileSync(path.join(p.out, 'arrived-while-down'), 'utf8'), 'early');
  await waitFor('nothing left behind', () => p.leftovers().length === 0);
});
