// With --token-file ([http_receiver] token_file), the real receiver process accepts only requests carrying `Authorization: Bearer <token>`.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { EXIT_CONFIG_ERROR } from '../../runtime/worker/exit-codes';
import { RECEIVER_JS, startReceiver, type ReceiverProcess } from './receiver-process';

const TOKEN = randomBytes(24).toString('hex');
let receiver: ReceiverProcess;

before(async () => {
  receiver = await startReceiver([], (dir) => {
    const file = path.join(dir, 'receiver.token');
    // A trailing newline, as `echo` or an editor leaves it: not part of the token.
    fs.writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
    return ['--token-file', file];
  });
});

after(() => receiver.stop());

const inbox = (): string[] => (fs.existsSync(receiver.home.inDir) ? fs.readdirSync(receiver.home.inDir, { recursive: true }) as string[] : [])
  .filter((f) => fs.statSync(path.join(receiver.home.inDir, f)).isFile());

test('no Authorization header: 401 with WWW-Authenticate: Bearer, and nothing written', async () => {
  const a = await receiver.request('PUT', '/no-header.bin', 'payload');
  assert.equal(a.status, 401, a.body);
  assert.equal(a.headers['www-authenticate'], 'Bearer');
  assert.match(a.body, /Authorization: Bearer/);
  assert.deepEqual(inbox(), []);
  assert.equal((await receiver.request('POST', '/', 'payload')).status, 401);
  assert.equal((await receiver.request('GET', '/healthz')).status, 401);
  assert.deepEqual(inbox(), []);
});

test('a wrong token gets 401, whatever its length or scheme, and writes nothing', async () => {
  const wrong = [`Bearer ${TOKEN.slice(0, -1)}x`, `Bearer ${TOKEN}extra`, 'Bearer x', 'Bearer ', `Basic ${TOKEN}`, TOKEN, `Bearer ${TOKEN} ${TOKEN}`];
  for (const authorization of wrong) {
    const a = await receiver.request('PUT', '/wrong.bin', 'payload', { authorization });
    assert.equal(a.status, 401, `${authorization}: ${a.status} ${a.body}`);
    assert.equal(a.headers['www-authenticate'], 'Bearer');
  }
  assert.deepEqual(inbox(), []);
});

test('the right token: the file arrives in the inbox', async () => {
  const bytes = randomBytes(50_000);
  const a = await receiver.request('PUT', '/right.bin', bytes, { authorization: `Bearer ${TOKEN}` });
  assert.equal(a.status, 201, a.body);
  assert.deepEqual(fs.readFileSync(path.join(receiver.home.incomingDir, 'right.bin')), bytes);
  const p = await receiver.request('POST', '/', 'posted', { authorization: `bearer ${TOKEN}` });
  assert.equal(p.status, 201, p.body);
  assert.equal((await receiver.request('GET', '/healthz', undefined, { authorization: `Bearer ${TOKEN}` })).status, 200);
});

test('Expect: 100-continue without the token: 401 before a byte of the body is asked for', async () => {
  const outcome = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
    let continued = false;
    const req = http.request({ socketPath: receiver.socket, method: 'PUT', path: '/declared.bin', headers: { 'content-length': 1000, expect: '100-continue' } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, continued });
    });
    req.on('continue', () => { continued = true; req.end(Buffer.alloc(1000)); });
    req.on('error', reject);
    req.flushHeaders();
  });
  assert.deepEqual(outcome, { status: 401, continued: false });
  assert.equal(fs.existsSync(path.join(receiver.home.incomingDir, 'declared.bin')), false);
});

test('each refusal is an "unauthorized" warning record that never contains the token', () => {
  const records = receiver.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const refused = records.filter((r) => r.event === 'unauthorized');
  assert.ok(refused.length >= 10, `${refused.length} unauthorized records`);
  assert.ok(refused.every((r) => r.status === 401 && r.level === 'warning'), JSON.stringify(refused[0]));
  assert.ok(refused.some((r) => r.reason === 'no Authorization header'));
  assert.ok(refused.some((r) => r.reason === 'wrong bearer token'));
  assert.equal(receiver.stdout().includes(TOKEN.slice(0, 16)), false);
});

test('a token file readable by others stops the receiver at start with the config-error exit code', async () => {
  const file = path.join(receiver.dir, 'open.token');
  fs.writeFileSync(file, TOKEN, { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  const proc = spawn(process.execPath, [RECEIVER_JS, '--home', receiver.home.root, '--port', '0', '--unix-socket', path.join(receiver.dir, 'other.sock'), '--token-file', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d) => { stderr += d; });
  const code = await new Promise((r) => proc.once('exit', r));
  assert.equal(code, EXIT_CONFIG_ERROR);
  assert.match(stderr, /token_file: .*open\.token has mode 0644.*chmod 600/);
});

test('a changed token file is followed without a restart; an unusable one keeps the token in force', async () => {
  const first = randomBytes(16).toString('hex');
  const second = randomBytes(16).toString('hex');
  let file = '';
  const r = await startReceiver([], (dir) => {
    file = path.join(dir, 'follow.token');
    fs.writeFileSync(file, `${first}\n`, { mode: 0o600 });
    return ['--token-file', file];
  });
  const put = async (token: string, name: string): Promise<number> =>
    (await r.request('PUT', `/${name}`, 'x', { authorization: `Bearer ${token}` })).status;
  const until = async (what: string, probe: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      if (await probe()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.fail(`timed out waiting for ${what}`);
  };
  try {
    assert.equal(await put(first, 'a.bin'), 201);
    // Replaced by a rename, as editors and `mv` do: the folder is watched, not the file.
    fs.writeFileSync(`${file}.new`, `${second}\n`, { mode: 0o600 });
    fs.renameSync(`${file}.new`, file);
    await until('the new token in force', async () => (await put(second, 'b.bin')) === 201);
    assert.equal(await put(first, 'c.bin'), 401, 'the old token is refused');
    assert.ok(r.stdout().includes('"bearer token changed: the new one is in force"'));
    // Readable by others, then removed: refused as a token, the one in force stays.
    fs.chmodSync(file, 0o644);
    await until('the mode warning', async () => r.stdout().includes('token file unusable'));
    fs.rmSync(file);
    await until('the removal noticed', async () => /token file unusable[^\n]*cannot read/.test(r.stdout()));
    assert.equal(await put(second, 'd.bin'), 201, 'the token in force did not change');
    assert.equal(await put('', 'e.bin'), 401, 'the receiver did not open up');
    assert.equal(r.stdout().includes(second.slice(0, 12)), false, 'the token is never logged');
  } finally {
    await r.stop();
  }
});
