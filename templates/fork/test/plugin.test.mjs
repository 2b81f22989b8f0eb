// End-to-end test of __PLUGIN_NAME__: the command's output file is forwarded and lands in the output directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, sampleFile, startRuntime, waitFor } from './run-plugin.mjs';

test('a two-line file gives a count file saying 2', async () => {
  const rt = startRuntime();
  try {
    rt.inject(sampleFile('two lines; $(reboot).txt', 'a\nb\n'));
    const out = path.join(rt.home, 'var/out/__PLUGIN_NAME__');
    await waitFor(() => listFiles(out).length === 1, 'the count file');
    assert.deepEqual(listFiles(out), ['two lines; $(reboot).txt.count']);
    assert.equal(fs.readFileSync(path.join(out, listFiles(out)[0]), 'utf8').trim(), '2');
  } finally {
    rt.stop();
  }
});
