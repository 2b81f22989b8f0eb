// Test helper: a workspace holding the dbgdemo fixture plugin, its generated config_auto and a real supervisor
// (redis-server, observer, step workers) on a temp home; stopped and removed by close().
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { generateConfigAuto } from '../../runtime/config/generate';
import { writeConfigAuto } from '../../runtime/config/generate/write';
import { controlRequest, type RequestBody } from '../../runtime/supervisor/control-client';
import type { RuntimeStatus, WatcherStatus } from '../../runtime/supervisor/protocol';
import type { SupervisorConfig, WatcherSpec } from '../../runtime/supervisor/watcher-spec';
import { requireRedisServer } from '../helpers/redis-server';
import { makeHome, ROOT, waitFor, type TestHome } from '../datapath/harness';

export const FIXTURE_PLUGIN = path.join(ROOT, 'test/debug/fixtures/dbgdemo');

export interface SupervisedHome extends TestHome {
  workspace: string;
  supervisor: ChildProcess;
  status(): Promise<RuntimeStatus | undefined>;
  watcher(name: string): Promise<WatcherStatus | undefined>;
  request(body: RequestBody): Promise<unknown>;
  spec(name: string): WatcherSpec;
  close(): Promise<void>;
}

export async function startSupervisedHome(): Promise<SupervisedHome> {
  const t = makeHome();
  const workspace = path.join(t.dir, 'ws');
  fs.cpSync(FIXTURE_PLUGIN, path.join(workspace, 'plugins/dbgdemo'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'mfdata.ini'), '[internal_plugins]\ninstall_switch = 0\ninstall_guess_file_type = 0\n');
  const loaded = loadRuntimeConfig({ workspace, home: t.home.root, env: { ...process.env, MFDATA_HOME: t.home.root } });
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`fixture config errors: ${JSON.stringify(errors)}`);
  writeConfigAuto(t.home.root, generateConfigAuto(loaded.config, { runtimeDir: path.join(ROOT, 'dist/runtime'), nodePath: process.execPath, redisServer: requireRedisServer() }));
  fs.mkdirSync(t.home.redisDataDir, { recursive: true });
  const supervisor = spawn(process.execPath, [path.join(ROOT, 'dist/runtime/supervisor.js'), '--home', t.home.root, '--workspace', workspace, '--foreground'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  supervisor.stderr?.on('data', (d) => { stderr += d; });
  const exited = new Promise((r) => supervisor.once('exit', r));
  const request = (body: RequestBody): Promise<unknown> => controlRequest(t.home.supervisorSocket, body);
  const status = async (): Promise<RuntimeStatus | undefined> => (await request({ cmd: 'status' }).catch(() => undefined)) as RuntimeStatus | undefined;
  const h: SupervisedHome = {
    ...t, workspace, supervisor, request, status,
    async watcher(name) {
      return (await status())?.watchers.find((w) => w.name === name);
    },
    spec(name) {
      const config = JSON.parse(fs.readFileSync(path.join(t.home.configAutoDir, 'watchers.json'), 'utf8')) as SupervisorConfig;
      const found = config.watchers.find((w) => w.name === name);
      if (!found) throw new Error(`no watcher ${name} in watchers.json`);
      return found;
    },
    async close() {
      if (supervisor.exitCode === null) {
        await request({ cmd: 'shutdown' }).catch(() => supervisor.kill('SIGTERM'));
        await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
        if (supervisor.exitCode === null) supervisor.kill('SIGKILL');
      }
      t.cleanup();
    },
  };
  try {
    await waitFor('supervisor running', async () => {
      if (supervisor.exitCode !== null) throw new Error(`supervisor exited ${supervisor.exitCode}: ${stderr}`);
      const s = await status();
      return s?.state === 'running' && s.watchers.every((w) => w.state === 'running');
    }, 30_000, 100);
  } catch (err) {
    await h.close();
    throw err;
  }
  return h;
}
