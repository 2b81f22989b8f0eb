// End-to-end test of __PLUGIN_NAME__: a file is moved out under a dated name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, sampleFile, startRuntime, waitFor } from './run-plugin.mjs';

test('a file is moved to the output directory as <YYYYMMDD>_<name>', async () => {
  const rt = startRuntime();
  try {
    rt.inject(sampleFile('data.csv', 'x,y\n'));
    const out = path.join(rt.home, 'var/out/__PLUGIN_NAME__');
    const [name] = await waitFor(() => { const l = listFiles(out); return l.length > 0 && l; }, 'the moved file');
    assert.match(name, /^\d{8}_data\.csv$/);
    assert.equal(fs.readFileSync(path.join(out, name), 'utf8'), 'x,y\n');
  } finally {
    rt.stop();
  }
});
