// Under the real supervisor, [http_receiver] flag = 1 runs the receiver, and files PUT or POSTed to it are processed by a step watching incoming/.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as http from 'node:http';
import * as path from 'node:path';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { generateConfigAuto } from '../../runtime/config/generate';
import { writeConfigAuto } from '../../runtime/config/generate/write';
import { controlRequest } from '../../runtime/supervisor/control-client';
import type { RuntimeStatus } from '../../runtime/supervisor/protocol';
import { requireRedisServer } from '../helpers/redis-server';
import { makeHome, ROOT, waitFor } from '../datapath/harness';

const PLUGIN_INI = `[general]\n_version = 1.0.0\n_summary = receiver test\n_license = MIT\n_url = https://example.invalid\n_maintainer = m\n_vendor = v\n
[step_main]\nwatched_directories = incoming\n\n[custom]\nout = {{MFDATA_HOME}}/out\n`;
// Copies each processed file to <home>/out/<original name>: the test compares bytes there.
const STEP = `import * as fs from 'node:fs';
import * as path from 'node:path';
interface StepFile { path: string; originalBasename: string }
interface StepContext { getCustom(key: string): string }
export function process(file: StepFile, ctx: StepContext): boolean {
  const out = ctx.getCustom('out');
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(file.path, path.join(out, file.originalBasename + '.part'));
  fs.renameSync(path.join(out, file.originalBasename + '.part'), path.join(out, file.originalBasename));
  return true;
}
`;

function send(socketPath: string, method: string, urlPath: string, body: Buffer, token?: string): Promise<{ status: number; location: string }> {
  return new Promise((resolve, reject) => {
    const headers = token ? { authorization: `Bearer ${token}` } : {};
    const req = http.request({ socketPath, method, path: urlPath, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? '') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Supervised { workspace: string; home: ReturnType<typeof makeHome>['home'] }

/** Runs the real supervisor on a workspace with the recv plugin and this mfdata.ini (`prepare` adds files first), then `body`; always shuts down and cleans up. */
async function withSupervisedReceiver(mfdataIni: string, prepare: (workspace: string) => void, body: (s: Supervised) => Promise<void>): Promise<void> {
  const t = makeHome();
  const workspace = path.join(t.dir, 'ws');
  fs.mkdirSync(path.join(workspace, 'plugins/recv'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'plugins/recv/config.ini'), PLUGIN_INI);
  fs.writeFileSync(path.join(workspace, 'plugins/recv/main.ts'), STEP);
  fs.writeFileSync(path.join(workspace, 'mfdata.ini'), mfdataIni);
  prepare(workspace);
  const loaded = loadRuntimeConfig({ workspace, home: t.home.root, env: { ...process.env, MFDATA_HOME: t.home.root } });
  assert.deepEqual(loaded.problems, []);
  writeConfigAuto(t.home.root, generateConfigAuto(loaded.config, { runtimeDir: path.join(ROOT, 'dist/runtime'), nodePath: process.execPath, redisServer: requireRedisServer() }));
  fs.mkdirSync(t.home.redisDataDir, { recursive: true });
  const supervisor = spawn(process.execPath, [path.join(ROOT, 'dist/runtime/supervisor.js'), '--home', t.home.root, '--workspace', workspace, '--foreground'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  supervisor.stderr?.on('data', (d) => { stderr += d; });
  const exited = new Promise((r) => supervisor.once('exit', r));
  const status = async () => (await controlRequest(t.home.supervisorSocket, { cmd: 'status' }).catch(() => undefined)) as RuntimeStatus | undefined;
  try {
    await waitFor('supervisor running', async () => {
      if (supervisor.exitCode !== null) throw new Error(`supervisor exited ${supervisor.exitCode}: ${stderr}`);
      const s = await status();
      return s?.state === 'running' && s.watchers.some((w) => w.name === 'http_receiver') && s.watchers.every((w) => w.state === 'running');
    }, 30_000, 100);
    await body({ workspace, home: t.home });
  } finally {
    if (supervisor.exitCode === null) {
      await controlRequest(t.home.supervisorSocket, { cmd: 'shutdown' }).catch(() => supervisor.kill('SIGTERM'));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (supervisor.exitCode === null) supervisor.kill('SIGKILL');
    }
    t.cleanup();
  }
}

/** Whether something accepts connections on the unix socket (its file appears at bind(), before listen()). */
function accepts(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.createConnection(socket, () => {
      c.destroy();
      resolve(true);
    });
    c.on('error', () => resolve(false));
  });
}

test('PUT and POST through the supervised receiver reach a step watching incoming/, byte for byte', { timeout: 60_000 }, async () => {
  await withSupervisedReceiver('[http_receiver]\nflag = 1\nport = 0\nunix_socket = var/recv.sock\n\n[autorestart]\nflag = 0\n', () => {}, async ({ home }) => {
    const socket = path.join(home.varDir, 'recv.sock');
    await waitFor('receiver listening', () => accepts(socket), 10_000, 50);
    const put = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
    const posted = Buffer.from('a posted file\n');
    assert.equal((await send(socket, 'PUT', '/put.bin', put)).status, 201);
    const p = await send(socket, 'POST', '/', posted);
    assert.equal(p.status, 201);
    const postedName = path.basename(p.location);
    const out = path.join(home.root, 'out');
    await waitFor('both files processed', async () => fs.existsSync(path.join(out, 'put.bin')) && fs.existsSync(path.join(out, postedName)), 30_000, 50);
    assert.deepEqual(fs.readFileSync(path.join(out, 'put.bin')), put);
    assert.deepEqual(fs.readFileSync(path.join(out, postedName)), posted);
    // The step consumed them: nothing is left in the drop zone.
    await waitFor('incoming emptied', async () => fs.readdirSync(home.incomingDir).length === 0, 10_000, 50);
    const log = fs.readFileSync(path.join(home.logDir, 'http_receiver.log'), 'utf8');
    assert.match(log, /"name":"http_receiver"/);
  });
});

test('a changed token file applies at the next reload: conf_monitor restarts the receiver when mfdata.ini is saved', { timeout: 60_000 }, async () => {
  const ini = '[http_receiver]\nflag = 1\nport = 0\nunix_socket = var/recv.sock\ntoken_file = receiver.token\n';
  const tokenFile = (ws: string): string => path.join(ws, 'receiver.token');
  await withSupervisedReceiver(ini, (ws) => fs.writeFileSync(tokenFile(ws), 'old-token\n', { mode: 0o600 }), async ({ workspace, home }) => {
    const socket = path.join(home.varDir, 'recv.sock');
    await waitFor('receiver listening', () => accepts(socket), 10_000, 50);
    assert.equal((await send(socket, 'PUT', '/a.bin', Buffer.from('a'))).status, 401);
    assert.equal((await send(socket, 'PUT', '/a.bin', Buffer.from('a'), 'old-token')).status, 201);
    // conf_monitor sees changes only once its watch is up (the supervisor reports it running from its spawn).
    const confLog = path.join(home.logDir, 'conf_monitor.log');
    await waitFor('conf_monitor watching', async () => fs.existsSync(confLog) && fs.readFileSync(confLog, 'utf8').includes('conf_monitor watching'), 30_000, 50);
    fs.writeFileSync(tokenFile(workspace), 'new-token\n');
    // Saving mfdata.ini (a comment is enough) makes conf_monitor regenerate and reload; the fingerprint moved with the token.
    fs.appendFileSync(path.join(workspace, 'mfdata.ini'), '; token rotated\n');
    await waitFor('receiver restarted with the new token', async () => (await send(socket, 'PUT', '/b.bin', Buffer.from('b'), 'new-token').catch(() => ({ status: 0 }))).status === 201, 30_000, 200);
    assert.equal((await send(socket, 'PUT', '/c.bin', Buffer.from('c'), 'old-token')).status, 401);
    await waitFor('both accepted files processed', async () => ['a.bin', 'b.bin'].every((f) => fs.existsSync(path.join(home.root, 'out', f))), 30_000, 50);
    assert.equal(fs.existsSync(path.join(home.root, 'out', 'c.bin')), false);
  });
});
