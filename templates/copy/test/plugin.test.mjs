// End-to-end test of __PLUGIN_NAME__: one file reaches both targets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, sampleFile, startRuntime, waitFor } from './run-plugin.mjs';

test('a file is delivered to both steps', async () => {
  const rt = startRuntime();
  try {
    rt.inject(sampleFile('note.txt', 'hello\n'));
    const out = path.join(rt.home, 'var/out/__PLUGIN_NAME__');
    await waitFor(() => listFiles(out).length === 2, 'two copies');
    assert.deepEqual(listFiles(out), ['first/note.txt', 'second/note.txt']);
    assert.equal(fs.readFileSync(path.join(out, 'second/note.txt'), 'utf8'), 'hello\n');
  } finally {
    rt.stop();
  }
});
