// End-to-end test of __PLUGIN_NAME__: a file handed to the step disappears, nothing goes to trash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { listFiles, sampleFile, startRuntime, waitFor } from './run-plugin.mjs';

test('a file is deleted', async () => {
  const rt = startRuntime();
  try {
    rt.inject(sampleFile('junk.bin', 'junk'));
    const inDir = path.join(rt.home, 'var/in');
    // tmp/ keeps one `.workers/<id>` registration per running worker: only the files being processed count.
    const processing = () => listFiles(path.join(inDir, 'tmp')).filter((f) => !f.split(path.sep).includes('.workers'));
    await waitFor(() => listFiles(path.join(inDir, 'step.__PLUGIN_NAME__.main')).length === 0 && processing().length === 0, 'the file to go');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(listFiles(path.join(inDir, 'trash')), []);
  } finally {
    rt.stop();
  }
});
