// End-to-end test of __PLUGIN_NAME__: files handed to the batch step all appear in batch reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, sampleFile, startRuntime, waitFor } from './run-plugin.mjs';

test('three files end up listed in the batch reports', async () => {
  const rt = startRuntime();
  try {
    for (const n of ['a.txt', 'b.txt', 'c.txt']) rt.inject(sampleFile(n, n));
    const out = path.join(rt.home, 'var/out/__PLUGIN_NAME__');
    const listed = () => listFiles(out).flatMap((f) => fs.readFileSync(path.join(out, f), 'utf8').trim().split('\n')).sort();
    await waitFor(() => listed().length === 3, 'three files in reports');
    assert.deepEqual(listed(), ['a.txt 5', 'b.txt 5', 'c.txt 5']);
  } finally {
    rt.stop();
  }
});
