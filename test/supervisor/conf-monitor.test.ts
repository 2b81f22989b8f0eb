// Hot reload with the real stack: `mfdata start` on a workspace, then edits to config.ini and step code
// picked up by conf_monitor (real redis-server, observer and step workers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { controlRequest } from '../../runtime/supervisor/control-client';
import type { RuntimeStatus } from '../../runtime/supervisor/protocol';
import { requireRedisServer } from '../helpers/redis-server';
import { alive, waitFor } from './helpers';
import { runCli, type CliRun } from '../helpers/cli';

function pluginIni(numprocesses: number): string {
  return ['[general]', '_version = 1.0.0', '_release = 1', '_summary = conf_monitor test plugin', '_license = MIT',
    '_url = https://example.invalid/p', '_maintainer = tests', '_vendor = tests', '', '[step_main]', `numprocesses = ${numprocesses}`, ''].join('\n');
}

const STEP_CODE = 'export function process(): boolean {\n  return true;\n}\n';

function mfdata(ws: string, home: string, ...argv: string[]): Promise<CliRun> {
  return runCli(['--home', home, '--workspace', ws, ...argv]);
}

test('conf_monitor: numprocesses 1 -> 3 changes only that watcher; a syntax error keeps everything running and is reported with file:line; step code restarts its step', async () => {
  requireRedisServer();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mfc-'));
  const ws = path.join(root, 'ws');
  const home = path.join(root, 'h');
  for (const p of ['alpha', 'beta']) {
    fs.mkdirSync(path.join(ws, 'plugins', p), { recursive: true });
    fs.writeFileSync(path.join(ws, 'plugins', p, 'config.ini'), pluginIni(1));
    fs.writeFileSync(path.join(ws, 'plugins', p, 'main.ts'), STEP_CODE);
  }
  fs.writeFileSync(path.join(ws, 'mfdata.ini'), '[internal_plugins]\ninstall_switch = 0\ninstall_guess_file_type = 0\n');
  const sock = path.join(home, 'var', 'supervisor.sock');
  const status = async (): Promise<RuntimeStatus> => (await controlRequest(sock, { cmd: 'status' })) as RuntimeStatus;
  const pids = (s: RuntimeStatus, name: string): number[] => (s.watchers.find((w) => w.name === name)?.processes ?? []).map((p) => p.pid);
  const seen = new Set<number>();
  const remember = (s: RuntimeStatus): RuntimeStatus => {
    s.watchers.forEach((w) => w.processes.forEach((p) => seen.add(p.pid)));
    return s;
  };
  try {
    const start = await mfdata(ws, home, 'start');
    assert.equal(start.code, 0, start.err);
    const before = remember(await status());
    assert.deepEqual(before.watchers.map((w) => [w.name, w.state]), [
      ['redis', 'running'], ['step.alpha.main', 'running'], ['step.beta.main', 'running'], ['directory_observer', 'running'], ['conf_monitor', 'running'], ['housekeeping', 'running'],
    ]);
    const untouched = ['redis', 'step.beta.main', 'directory_observer', 'conf_monitor', 'housekeeping'];
    const untouchedPids = (s: RuntimeStatus): number[][] => untouched.map((n) => pids(s, n));
    await waitFor('conf_monitor watching', () => fs.existsSync(path.join(home, 'log', 'conf_monitor.log')) &&
      fs.readFileSync(path.join(home, 'log', 'conf_monitor.log'), 'utf8').includes('conf_monitor watching'));

    // numprocesses 1 -> 3 in alpha's config.ini.
    fs.writeFileSync(path.join(ws, 'plugins', 'alpha', 'config.ini'), pluginIni(3));
    const scaled = remember(await waitFor('alpha at 3 workers', async () => {
      const s = await status();
      return pids(s, 'step.alpha.main').length === 3 && s.watchers.every((w) => w.state === 'running') ? s : undefined;
    }));
    assert.deepEqual(untouchedPids(scaled), untouchedPids(before), 'the other watchers keep their processes');
    assert.ok(pids(scaled, 'step.alpha.main').includes(pids(before, 'step.alpha.main')[0]), 'scaling adds processes; the running worker is kept');

    // A syntax error: everything keeps running, the error is reported with file:line.
    const ini = path.join(ws, 'plugins', 'alpha', 'config.ini');
    fs.writeFileSync(ini, pluginIni(3).replace('[step_main]', '[step_main'));
    const broken = await waitFor('config error reported', async () => {
      const s = await status();
      return s.configError ? s : undefined;
    });
    assert.match(broken.configError ?? '', new RegExp(`${ini.replace(/[.]/g, '\\.')}:10:\\d+: error: `));
    assert.deepEqual(broken.watchers.map((w) => [w.name, w.state, pids(broken, w.name)]), scaled.watchers.map((w) => [w.name, w.state, pids(scaled, w.name)]));
    assert.match((await mfdata(ws, home, 'status')).out, /configuration error \(the running setup was kept\)/);

    // Fixed again: the error is cleared.
    fs.writeFileSync(ini, pluginIni(3));
    await waitFor('config error cleared', async () => (await status()).configError === undefined);

    // Step code: beta's main.ts changes, only beta's step restarts.
    const beforeCode = remember(await status());
    fs.writeFileSync(path.join(ws, 'plugins', 'beta', 'main.ts'), `${STEP_CODE}// edited\n`);
    const restarted = remember(await waitFor('beta restarted', async () => {
      const s = await status();
      const now = pids(s, 'step.beta.main');
      return now.length === 1 && now[0] !== pids(beforeCode, 'step.beta.main')[0] && s.watchers.every((w) => w.state === 'running') ? s : undefined;
    }));
    assert.deepEqual(pids(restarted, 'step.alpha.main'), pids(beforeCode, 'step.alpha.main'));
    assert.deepEqual(pids(restarted, 'redis'), pids(beforeCode, 'redis'));

    const stop = await mfdata(ws, home, 'stop');
    assert.equal(stop.code, 0, stop.err);
    assert.deepEqual([...seen].filter(alive), []);
  } finally {
    await mfdata(ws, home, 'stop');
    fs.rmSync(root, { recursive: true, force: true });
  }
});
