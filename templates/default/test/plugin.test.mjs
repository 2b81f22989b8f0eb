// End-to-end test of __PLUGIN_NAME__: a file handed to step main gets a line-count report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, sampleFile, startRuntime, waitFor } from './run-plugin.mjs';

test('a three-line file gets a report saying 3', async () => {
  const rt = startRuntime();
  try {
    rt.inject(sampleFile('hello.txt', 'a\nb\nc\n'));
    const out = path.join(rt.home, 'var/out/__PLUGIN_NAME__');
    await waitFor(() => listFiles(out).includes('hello.txt.report'), 'the report');
    assert.equal(fs.readFileSync(path.join(out, 'hello.txt.report'), 'utf8'), 'hello.txt 3\n');
  } finally {
    rt.stop();
  }
});
