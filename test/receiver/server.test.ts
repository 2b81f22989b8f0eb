// The HTTP receiver process (dist/runtime/receiver.js) stores uploads whole or not at all, under the names the request gives.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { startReceiver, type Answer, type ReceiverProcess } from './receiver-process';

let receiver: ReceiverProcess;
let socket: string;
const home = () => receiver.home;
const request = (method: string, urlPath: string, body?: Buffer | string, headers: http.OutgoingHttpHeaders = {}): Promise<Answer> => receiver.request(method, urlPath, body, headers);

/** Every file under dir, relative, sorted: what an upload left behind. */
function listFiles(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile()).sort();
}

before(async () => {
  receiver = await startReceiver(['--max-body-mb', '1'], (_dir, h) => { fs.mkdirSync(path.join(h.inDir, 'step.p.s'), { recursive: true }); });
  socket = receiver.socket;
});

after(() => receiver.stop());

test('the unix socket is private to its owner (0600)', () => {
  assert.equal(fs.statSync(socket).mode & 0o777, 0o600);
});

test('GET /healthz answers 200', async () => {
  assert.equal((await request('GET', '/healthz')).status, 200);
});

test('PUT /<name> stores the exact bytes in incoming/ and answers 201 with the Location', async () => {
  const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
  const a = await request('PUT', '/data%20one.bin', bytes);
  assert.equal(a.status, 201, a.body);
  assert.equal(a.headers.location, '/data%20one.bin');
  assert.equal(JSON.parse(a.body).file, path.join(home().incomingDir, 'data one.bin'));
  assert.deepEqual(fs.readFileSync(path.join(home().incomingDir, 'data one.bin')), bytes);
});

test('PUT /<dir>/<name> stores under IN/<dir>; POST /<dir> picks a random 32-hex name', async () => {
  assert.equal((await request('PUT', '/step.p.s/x.txt', 'hello')).status, 201);
  assert.equal(fs.readFileSync(path.join(home().inDir, 'step.p.s', 'x.txt'), 'utf8'), 'hello');
  const a = await request('POST', '/step.p.s', 'posted body');
  assert.equal(a.status, 201, a.body);
  const name = path.basename(a.headers.location ?? '');
  assert.match(name, /^[0-9a-f]{32}$/);
  assert.equal(fs.readFileSync(path.join(home().inDir, 'step.p.s', name), 'utf8'), 'posted body');
  const b = await request('POST', '/', 'to incoming');
  assert.equal(b.status, 201);
  assert.equal(fs.readFileSync(path.join(home().incomingDir, path.basename(b.headers.location ?? '')), 'utf8'), 'to incoming');
});

test('bad paths get 400 and write nothing: .., encoded /, NUL, names the observer ignores, tmp/ and trash/', async () => {
  const beforeFiles = listFiles(home().root);
  for (const p of ['/../escape', '/incoming/../../escape', '/%2e%2e/escape', '/a%2Fb', '/x%00y', '/name.t', '/name.tmp', '/name.working', '/tmp/x', '/trash/x', '/']) {
    const a = await request('PUT', p, 'x');
    assert.equal(a.status, 400, `PUT ${p}: ${a.status} ${a.body}`);
  }
  assert.equal((await request('PUT', '/no-such-dir/x', 'x')).status, 404);
  assert.deepEqual(listFiles(home().root), beforeFiles);
  assert.equal(fs.existsSync(path.join(receiver.dir, 'escape')), false);
});

test('other methods get 405 with Allow', async () => {
  const a = await request('DELETE', '/x');
  assert.equal(a.status, 405);
  assert.equal(a.headers.allow, 'PUT, POST');
  assert.equal((await request('GET', '/x')).status, 405);
});

test('a body over max_body_mb gets 413 and leaves nothing, declared or chunked', async () => {
  const big = Buffer.alloc(1024 * 1024 + 1, 7);
  // Declared with Expect: 100-continue (as curl does): refused before a byte of the body is sent.
  const declared = await new Promise<number>((resolve, reject) => {
    const req = http.request({ socketPath: socket, method: 'PUT', path: '/big-declared', headers: { 'content-length': big.length, expect: '100-continue' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('continue', () => req.end(big));
    req.on('error', reject);
    req.flushHeaders();
  });
  assert.equal(declared, 413);
  // Small enough to be sent whole, so the answer cannot race the client's writes.
  assert.equal((await request('PUT', '/small-declared', 'x'.repeat(100))).status, 201);
  const beforeFiles = listFiles(home().root);
  // No Content-Length: the receiver only finds out while writing, and must remove its temp file.
  const chunked = await new Promise<number>((resolve, reject) => {
    const req = http.request({ socketPath: socket, method: 'PUT', path: '/big-chunked', headers: { 'transfer-encoding': 'chunked' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    for (let i = 0; i < 17; i++) req.write(Buffer.alloc(64 * 1024, 1));
    req.end();
  });
  assert.equal(chunked, 413);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(listFiles(home().root), beforeFiles);
});

test('an upload aborted by the client leaves no file and no temp file', async () => {
  const beforeFiles = listFiles(home().root);
  await new Promise<void>((resolve, reject) => {
    const c = net.createConnection(socket, () => {
      c.write('PUT /aborted.bin HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n');
      c.write(Buffer.alloc(40_000, 3), () => setTimeout(() => { c.destroy(); resolve(); }, 200));
    });
    c.on('error', reject);
  });
  // The temp file existed while the body was arriving; once the receiver saw the close it must be gone.
  for (let i = 0; i < 100 && listFiles(home().root).length !== beforeFiles.length; i++) await new Promise((r) => setTimeout(r, 20));
  for (let i = 0; i < 100 && !receiver.stdout().includes('upload aborted by the client'); i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(listFiles(home().root), beforeFiles);
  assert.match(receiver.stdout(), /upload aborted by the client/);
});

test('50 concurrent uploads each land whole under their own name', async () => {
  const bodies = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000 + i * 997, i));
  const answers = await Promise.all(bodies.map((b, i) => request('PUT', `/step.p.s/c${i}.bin`, b)));
  assert.deepEqual(answers.map((a) => a.status), bodies.map(() => 201));
  bodies.forEach((b, i) => assert.deepEqual(fs.readFileSync(path.join(home().inDir, 'step.p.s', `c${i}.bin`)), b));
  assert.equal(fs.readdirSync(path.join(home().inDir, 'step.p.s')).some((f) => f.endsWith('.t')), false);
});

test('a PUT of a name already waiting never replaces that file: it lands as stem.<8 hex>.ext, and Location says so', async () => {
  const dir = path.join(home().inDir, 'step.p.s');
  const answers = await Promise.all(['one', 'two', 'three'].map((body) => request('PUT', '/step.p.s/same%20name.csv', body)));
  assert.deepEqual(answers.map((a) => a.status), [201, 201, 201]);
  const files = answers.map((a) => JSON.parse(a.body).file as string);
  assert.equal(new Set(files).size, 3, 'three files');
  assert.deepEqual(files.map((f) => fs.readFileSync(f, 'utf8')).sort(), ['one', 'three', 'two'], 'each body kept');
  for (const [i, f] of files.entries()) {
    assert.match(path.basename(f), /^same name(\.[0-9a-f]{8})?\.csv$/);
    assert.equal(path.dirname(f), dir);
    assert.equal(answers[i].headers.location, `/step.p.s/${encodeURIComponent(path.basename(f))}`);
  }
});

test('every outcome is an mflog JSON record of the http_receiver logger', () => {
  const records = receiver.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(records.length > 5);
  assert.ok(records.every((r) => r.name === 'http_receiver'));
  assert.ok(records.some((r) => r.event === 'file received' && r.status === 201));
  assert.ok(records.some((r) => r.event === 'upload refused' && r.status === 413));
});
