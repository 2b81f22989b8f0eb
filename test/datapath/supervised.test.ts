// Under the real supervisor (generated watchers.json): the example plugin processes every file, even when
// redis-server is killed in the middle of the run and restarted by the supervisor.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { generateConfigAuto } from '../../runtime/config/generate';
import { writeConfigAuto } from '../../runtime/config/generate/write';
import { controlRequest } from '../../runtime/supervisor/control-client';
import type { RuntimeStatus } from '../../runtime/supervisor/protocol';
import { requireRedisServer } from '../helpers/redis-server';
import { listFiles, makeHome, ROOT, waitFor } from './harness';

test('normalize under the supervisor: redis-server SIGKILLed mid-run and restarted by the supervisor, no file lost', async (t) => {
  const h = makeHome();
  const workspace = path.join(h.dir, 'ws');
  fs.cpSync(path.join(ROOT, 'examples/plugins/normalize'), path.join(workspace, 'plugins/normalize'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'mfdata.ini'), '[internal_plugins]\ninstall_switch = 0\ninstall_guess_file_type = 0\n');
  const loaded = loadRuntimeConfig({ workspace, home: h.home.root, env: { ...process.env, MFDATA_HOME: h.home.root } });
  assert.deepEqual(loaded.problems.filter((p) => p.severity === 'error'), []);
  writeConfigAuto(h.home.root, generateConfigAuto(loaded.config, { runtimeDir: path.join(ROOT, 'dist/runtime'), nodePath: process.execPath, redisServer: requireRedisServer() }));
  // `mfdata start` prepares the home; the supervisor alone expects Redis's data directory to exist.
  fs.mkdirSync(h.home.redisDataDir, { recursive: true });
  const sup = spawn(process.execPath, [path.join(ROOT, 'dist/runtime/supervisor.js'), '--home', h.home.root, '--workspace', workspace, '--foreground'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  sup.stderr?.on('data', (d) => { stderr += d; });
  const exited = new Promise((r) => sup.once('exit', r));
  const status = async (): Promise<RuntimeStatus | undefined> => (await controlRequest(h.home.supervisorSocket, { cmd: 'status' }).catch(() => undefined)) as RuntimeStatus | undefined;
  t.after(async () => {
    if (sup.exitCode === null) {
      await controlRequest(h.home.supervisorSocket, { cmd: 'shutdown' }).catch(() => sup.kill('SIGTERM'));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (sup.exitCode === null) sup.kill('SIGKILL');
    }
    h.cleanup();
  });
  await waitFor('supervisor running', async () => {
    if (sup.exitCode !== null) throw new Error(`supervisor exited ${sup.exitCode}: ${stderr}`);
    const s = await status();
    return s?.state === 'running' && s.watchers.every((w) => w.state === 'running');
  }, 30_000, 100);
  const drop = path.join(h.home.inDir, 'drop', 'normalize');
  const observerLog = path.join(h.home.logDir, 'directory_observer.log');
  await waitFor('observer watching', () => fs.existsSync(observerLog) && fs.readFileSync(observerLog, 'utf8').includes('directory observer started'), 30_000, 50);
  const out = path.join(h.home.varDir, 'out', 'normalize');
  const N = 600;
  const write = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      fs.writeFileSync(path.join(drop, `n${i}.t`), `line ${i}  \r\nend\r\n`);
      fs.renameSync(path.join(drop, `n${i}.t`), path.join(drop, `n${i}.txt`));
    }
  };
  write(0, N / 2);
  await waitFor('some files archived', () => listFiles(out).length >= 50, 30_000, 10);
  const redisPid = (await status())?.watchers.find((w) => w.name === 'redis')?.processes[0]?.pid;
  assert.ok(redisPid);
  process.kill(redisPid, 'SIGKILL');
  write(N / 2, N);
  await waitFor('redis restarted by the supervisor', async () => {
    const pid = (await status())?.watchers.find((w) => w.name === 'redis')?.processes[0]?.pid;
    return pid !== undefined && pid !== redisPid;
  }, 30_000, 100);
  await waitFor('every file archived', () => listFiles(out).length >= N, 50_000, 100);
  assert.equal(listFiles(out).length, N);
  for (let i = 0; i < N; i += 37) assert.equal(fs.readFileSync(path.join(out, `n${i}.txt`), 'utf8'), `line ${i}\nend\n`);
  await waitFor('nothing left in tmp/ or the inboxes', () => listFiles(path.join(h.home.inDir, 'tmp', 'normalize.main')).length === 0
    && listFiles(path.join(h.home.inDir, 'tmp', 'normalize.archive')).length === 0 && listFiles(drop).length === 0);
  assert.deepEqual(listFiles(path.join(h.home.inDir, 'trash', 'normalize.main')), []);
  assert.deepEqual(listFiles(path.join(h.home.inDir, 'trash', 'normalize.archive')), []);
});
