// End-to-end test of __PLUGIN_NAME__: files are routed by name; unmatched ones are kept in the nomatch trash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { listFiles, sampleFile, startRuntime, waitFor } from './run-plugin.mjs';

test('csv to tables, txt to texts, important_ to both, others to nomatch', async () => {
  const rt = startRuntime();
  try {
    for (const n of ['a.csv', 'b.txt', 'important_c.bin', 'd.bin']) rt.inject(sampleFile(n, n));
    const out = path.join(rt.home, 'var/out/__PLUGIN_NAME__');
    const nomatch = path.join(rt.home, 'var/in/trash/__PLUGIN_NAME__.nomatch');
    await waitFor(() => listFiles(out).length === 4 && listFiles(nomatch).length >= 1, 'routing');
    assert.deepEqual(listFiles(out), ['tables/a.csv', 'tables/important_c.bin', 'texts/b.txt', 'texts/important_c.bin']);
  } finally {
    rt.stop();
  }
});
