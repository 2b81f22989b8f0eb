// Runs this plugin in a private runtime (temporary workspace and home), for the plugin's own tests.
// Needs the `mfdata` command (on PATH, or its path in $MFDATA_CLI) and redis-server.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const pluginDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const pluginName = path.basename(pluginDir);

function mfdataCommand() {
  const cli = process.env.MFDATA_CLI;
  if (!cli) return ['mfdata', []];
  return cli.endsWith('.js') ? [process.execPath, [cli]] : [cli, []];
}

/** Starts a runtime with only this plugin; returns helpers and a stop() that removes everything. */
export function startRuntime(moduleIni = '') {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `mfdata-${pluginName}-`));
  const workspace = path.join(root, 'ws');
  const home = path.join(root, 'home');
  fs.mkdirSync(path.join(workspace, 'plugins'), { recursive: true });
  fs.symlinkSync(pluginDir, path.join(workspace, 'plugins', pluginName));
  fs.writeFileSync(path.join(workspace, 'mfdata.ini'), moduleIni);
  const [cmd, pre] = mfdataCommand();
  const run = (...args) => {
    const r = spawnSync(cmd, [...pre, '--workspace', workspace, '--home', home, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mfdata ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout || r.error}`);
    return r.stdout;
  };
  run('start');
  return {
    home, workspace, run,
    /** Hands a file to a step of this plugin (default main). */
    inject(file, step = 'main') { run('inject', file, '--plugin', pluginName, '--step', step); },
    stop() {
      try { run('stop'); } finally { fs.rmSync(root, { recursive: true, force: true }); }
    },
  };
}

/** Polls `check()` until it returns a truthy value or the timeout expires. */
export async function waitFor(check, what, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Files (recursively, relative paths) under a directory, [] when it does not exist. */
export function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  // A file listed may be gone by the time it is looked at (a worker claims or deletes it): not a file then.
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.isFile() ?? false).sort();
}

let samples;

/** Writes a sample input file in a temporary directory (removed when the test process exits) and returns its path. */
export function sampleFile(name, content) {
  if (!samples) {
    samples = fs.mkdtempSync(path.join(os.tmpdir(), `mfdata-${pluginName}-samples-`));
    process.on('exit', () => fs.rmSync(samples, { recursive: true, force: true }));
  }
  const dir = fs.mkdtempSync(path.join(samples, 's'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}
