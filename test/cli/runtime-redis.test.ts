// flow, journey and trash replay need the runtime's Redis: a stopped runtime is said as status says it (exit 3), a
// running one whose Redis is down names the address (exit 1); never a bare "Connection is closed." or an ioredis stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI_JS } from '../datapath/harness';
import { makeTempHome, nodeWatcher, writeWatchers, type TempHome } from '../supervisor/helpers';

function mfdata(home: TempHome, ...argv: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI_JS, '--home', home.root, '--workspace', home.root, ...argv], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const COMMANDS = [['flow'], ['journey', 'some.csv'], ['trash', 'replay', 'p/main/some.csv', '--to', 'p/main']];

test('flow, journey and trash replay with the runtime stopped: "mfdata is not running", exit 3, the trashed file kept', () => {
  const home = makeTempHome();
  try {
    const trashed = path.join(home.root, 'var', 'in', 'trash', 'p.main', 'some.csv');
    fs.mkdirSync(path.dirname(trashed), { recursive: true });
    fs.writeFileSync(trashed, 'data');
    for (const argv of COMMANDS) {
      const r = mfdata(home, ...argv);
      assert.equal(r.code, 3, `${argv.join(' ')}: ${r.err}`);
      assert.equal(r.err, `mfdata ${argv[0] === 'trash' ? 'trash replay' : argv[0]}: mfdata is not running (home ${home.root}): start it with mfdata start\n`);
      assert.equal(r.out, '');
    }
    assert.equal(fs.readFileSync(trashed, 'utf8'), 'data');
  } finally {
    home.cleanup();
  }
});

test('flow, journey and trash replay with the runtime running but its Redis down: the address is named, exit 1', async () => {
  const home = makeTempHome();
  writeWatchers(home, [nodeWatcher(home, 'step.p.main', 'sleeper.js')]);
  try {
    const start = mfdata(home, 'start', '--no-generate');
    assert.equal(start.code, 0, start.err);
    for (const argv of COMMANDS) {
      const r = mfdata(home, ...argv);
      assert.equal(r.code, 1, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, new RegExp(`^mfdata ${argv[0] === 'trash' ? 'trash replay' : argv[0]}: cannot reach the runtime's Redis at .*redis\\.sock: .*ENOENT.* \\(see mfdata status\\)\\n$`));
    }
  } finally {
    mfdata(home, 'stop');
    home.cleanup();
  }
});
