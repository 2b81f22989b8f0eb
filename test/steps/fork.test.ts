// The fork step with real processes: a command that overruns process_timeout is killed and the file goes to the
// failure policy; a FILEPATH: outside the runtime's data directories is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, startRuntime, waitFor, writeWorkspacePlugin } from './runtime-harness';

test('fork: a command past process_timeout is killed (failure policy keep); a FILEPATH: outside the data directories is refused', async () => {
  const rt = await startRuntime((ws) => {
    fs.writeFileSync(path.join(ws, 'mfdata.ini'), '[autorestart]\nflag = 0\n');
    writeWorkspacePlugin(ws, 'forks', [
      '[step_slow]', '_step_module = builtin:fork', "command_template = sh -c 'sleep 30' sh {PATH}", 'process_timeout = 1', '',
      '[step_escape]', '_step_module = builtin:fork', "command_template = sh -c 'echo FILEPATH:/etc/hostname' sh {PATH}",
      'command_returning_path = 1', 'dest_dir = forks/sink', '',
      '[step_sink]', '_step_module = builtin:delete', '',
    ].join('\n'));
  });
  try {
    const started = Date.now();
    rt.drop(path.join(rt.home.inDir, 'step.forks.slow'), 'slow.txt', 'x');
    rt.drop(path.join(rt.home.inDir, 'step.forks.escape'), 'escape.txt', 'x');
    const slowTrash = path.join(rt.home.inDir, 'trash/forks.slow');
    await waitFor(() => listFiles(slowTrash).length === 2, 'the slow file in trash', 20000, rt.home.logDir);
    console.log(`slow command given up after ${((Date.now() - started) / 1000).toFixed(1)} s (process_timeout 1 s, command sleeps 30 s)`);
    await waitFor(() => listFiles(path.join(rt.home.inDir, 'trash/forks.escape')).length === 2, 'the escaping file in trash', 20000, rt.home.logDir);
    assert.ok(fs.existsSync('/etc/hostname'), '/etc/hostname was not moved into the pipeline');
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'step.forks.sink')), []);
    assert.match(fs.readFileSync(path.join(rt.home.logDir, 'step_forks_escape.log'), 'utf8'), /refused a FILEPATH: outside the runtime data directories/);
  } finally {
    await rt.stop();
  }
});
