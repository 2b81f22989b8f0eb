// End-to-end test of __PLUGIN_NAME__: a file is archived under <YYYYMMDD>/ with its tags file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { listFiles, sampleFile, startRuntime, waitFor } from './run-plugin.mjs';

test('a file is archived in a dated directory, with its .tags', async () => {
  const rt = startRuntime();
  try {
    rt.inject(sampleFile('obs.txt', 'obs\n'));
    const root = path.join(rt.home, 'var/archive/__PLUGIN_NAME__');
    const files = await waitFor(() => { const l = listFiles(root); return l.length === 2 && l; }, 'the archived file and its tags');
    assert.match(files[0], /^\d{8}\/obs\.txt$/);
    assert.match(files[1], /^\d{8}\/obs\.txt\.tags$/);
  } finally {
    rt.stop();
  }
});
