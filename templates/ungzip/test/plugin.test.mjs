// End-to-end test of __PLUGIN_NAME__: a gzip file comes out uncompressed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { listFiles, sampleFile, startRuntime, waitFor } from './run-plugin.mjs';

test('a gzip file is uncompressed', async () => {
  const rt = startRuntime();
  try {
    rt.inject(sampleFile('data.gz', zlib.gzipSync('plain text\n')));
    const out = path.join(rt.home, 'var/out/__PLUGIN_NAME__');
    await waitFor(() => listFiles(out).length === 1, 'the uncompressed file');
    assert.equal(fs.readFileSync(path.join(out, 'data.gz.txt'), 'utf8'), 'plain text\n');
  } finally {
    rt.stop();
  }
});
