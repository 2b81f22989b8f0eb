// Every template, end to end with real processes: create → build → install into a running runtime (its watchers start)
// → uninstall (they stop) → install the archive again → a file handed to the plugin is processed as the template says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Writable } from 'node:stream';
import { main } from '../../runtime/cli/main';
import { ControlClient } from '../../runtime/supervisor/control-client';
import { listFiles, startRuntime, waitFor, type TestRuntime } from '../steps/runtime-harness';

async function mfdata(rt: TestRuntime, ...argv: string[]): Promise<string> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => new Writable({ write(c, _e, cb) { f(String(c)); cb(); } });
  const code = await main(['--workspace', rt.workspace, '--home', rt.home.root, ...argv], { stdout: sink((s) => { out += s; }), stderr: sink((s) => { err += s; }) });
  assert.equal(code, 0, `mfdata ${argv.join(' ')}: ${err}`);
  return out;
}

async function watcherNames(rt: TestRuntime): Promise<string[]> {
  const c = await ControlClient.connect(rt.home.supervisorSocket);
  try {
    return (await c.status()).watchers.map((w) => w.name);
  } finally {
    c.close();
  }
}

function put(socketPath: string, name: string, body: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: `/${name}`, method: 'PUT' }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', reject);
    req.end(body);
  });
}

/** What each template does with a file, as its own test/plugin.test.mjs says. */
const checks: Record<string, (rt: TestRuntime, name: string) => Promise<void>> = {
  async default(rt, n) {
    rt.drop(path.join(rt.home.inDir, `step.${n}.main`), 'hello.txt', 'a\nb\nc\n');
    const out = path.join(rt.home.varDir, 'out', n);
    await waitFor(() => listFiles(out).includes('hello.txt.report'), `${n}: report`, 20000, rt.home.logDir);
    assert.equal(fs.readFileSync(path.join(out, 'hello.txt.report'), 'utf8'), 'hello.txt 3\n');
  },
  async batch(rt, n) {
    for (const f of ['a.txt', 'b.txt']) rt.drop(path.join(rt.home.inDir, `step.${n}.main`), f, f);
    const out = path.join(rt.home.varDir, 'out', n);
    const listed = () => listFiles(out).flatMap((f) => fs.readFileSync(path.join(out, f), 'utf8').trim().split('\n')).sort();
    await waitFor(() => listed().length === 2, `${n}: batch reports`, 20000, rt.home.logDir);
    assert.deepEqual(listed(), ['a.txt 5', 'b.txt 5']);
  },
  async move(rt, n) {
    rt.drop(path.join(rt.home.inDir, `step.${n}.main`), 'data.csv', 'x,y\n');
    const out = path.join(rt.home.varDir, 'out', n);
    const [name] = await waitFor(() => { const l = listFiles(out); return l.length > 0 && l; }, `${n}: moved file`, 20000, rt.home.logDir);
    assert.match(name, /^\d{8}_data\.csv$/);
  },
  async archive(rt, n) {
    rt.drop(path.join(rt.home.inDir, `step.${n}.main`), 'obs.txt', 'obs\n');
    const root = path.join(rt.home.varDir, 'archive', n);
    const files = await waitFor(() => { const l = listFiles(root); return l.length === 2 && l; }, `${n}: archive`, 20000, rt.home.logDir);
    assert.match(files[0], /^\d{8}\/obs\.txt$/);
    assert.match(files[1], /^\d{8}\/obs\.txt\.tags$/);
  },
  async copy(rt, n) {
    rt.drop(path.join(rt.home.inDir, `step.${n}.main`), 'note.txt', 'hello\n');
    const out = path.join(rt.home.varDir, 'out', n);
    await waitFor(() => listFiles(out).length === 2, `${n}: two copies`, 20000, rt.home.logDir);
    assert.deepEqual(listFiles(out), ['first/note.txt', 'second/note.txt']);
  },
  async fork(rt, n) {
    rt.drop(path.join(rt.home.inDir, `step.${n}.main`), 'two lines; $(touch pwned).txt', 'a\nb\n');
    const out = path.join(rt.home.varDir, 'out', n);
    await waitFor(() => listFiles(out).length === 1, `${n}: count file`, 20000, rt.home.logDir);
    assert.deepEqual(listFiles(out), ['two lines; $(touch pwned).txt.count']);
    assert.equal(fs.readFileSync(path.join(out, listFiles(out)[0]), 'utf8').trim(), '2');
    assert.ok(!fs.existsSync(path.join(rt.home.inDir, 'tmp', `${n}.main`, 'pwned')), 'the file name was never run as shell code');
  },
  async delete(rt, n) {
    const inbox = path.join(rt.home.inDir, `step.${n}.main`);
    rt.drop(inbox, 'junk.bin', 'junk');
    await waitFor(() => listFiles(inbox).length === 0 && listFiles(path.join(rt.home.inDir, 'tmp', `${n}.main`)).filter((f) => !f.startsWith('.workers')).length === 0, `${n}: deleted`, 20000, rt.home.logDir);
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'trash', `${n}.main`)), []);
  },
  async ungzip(rt, n) {
    rt.drop(path.join(rt.home.inDir, `step.${n}.main`), 'data.gz', zlib.gzipSync('plain text\n'));
    const out = path.join(rt.home.varDir, 'out', n);
    await waitFor(() => listFiles(out).length === 1, `${n}: uncompressed`, 20000, rt.home.logDir);
    assert.equal(fs.readFileSync(path.join(out, 'data.gz.txt'), 'utf8'), 'plain text\n');
  },
  async switch(rt, n) {
    for (const f of ['a.csv', 'b.txt', 'important_c.bin', 'd.bin']) rt.drop(path.join(rt.home.inDir, `step.${n}.main`), f, f);
    const out = path.join(rt.home.varDir, 'out', n);
    const nomatch = path.join(rt.home.inDir, 'trash', `${n}.nomatch`);
    await waitFor(() => listFiles(out).length === 4 && listFiles(nomatch).length === 2, `${n}: routing`, 20000, rt.home.logDir);
    assert.deepEqual(listFiles(out), ['tables/a.csv', 'tables/important_c.bin', 'texts/b.txt', 'texts/important_c.bin']);
    const kept = listFiles(nomatch);
    assert.equal(kept.filter((f) => f.endsWith('.tags')).length, 1, 'the unmatched file is kept with its tags');
    assert.match(fs.readFileSync(path.join(nomatch, kept.find((f) => f.endsWith('.tags')) as string), 'utf8'), /original_basename = d\.bin/);
  },
  async listener(rt, n) {
    const sock = path.join(rt.home.varDir, `${n}.sock`);
    await waitFor(() => fs.existsSync(sock), `${n}: listener socket`, 20000, rt.home.logDir);
    assert.equal(await put(sock, 'payload.txt', 'one\ntwo\n'), 201);
    const out = path.join(rt.home.varDir, 'out', n);
    await waitFor(() => listFiles(out).includes('payload.txt.report'), `${n}: report`, 20000, rt.home.logDir);
    assert.equal(fs.readFileSync(path.join(out, 'payload.txt.report'), 'utf8'), 'payload.txt 2\n');
  },
};

test('every template: create, build, install live, uninstall live, install the archive again, a file is processed', async () => {
  const rt = await startRuntime((ws) => fs.writeFileSync(path.join(ws, 'mfdata.ini'), '[autorestart]\nflag = 0\n'));
  try {
    const dev = path.join(rt.root, 'dev');
    const dist = path.join(rt.root, 'dist');
    for (const t of Object.keys(checks)) {
      const n = `t_${t}`;
      await mfdata(rt, 'plugins', 'create', n, '--template', t, '--dir', dev);
      await mfdata(rt, 'plugins', 'build', path.join(dev, n), '--output', dist);
      const archive = path.join(dist, `${n}-1.0.0-1.plugin`);
      assert.match(await mfdata(rt, 'plugins', 'install', archive), /reloaded: \d+ watcher\(s\) started/);
      assert.ok((await watcherNames(rt)).includes(`step.${n}.main`), `${n}: its watcher runs after install`);
      assert.match(await mfdata(rt, 'plugins', 'uninstall', n), /stopped \(.*step\./);
      assert.ok(!(await watcherNames(rt)).includes(`step.${n}.main`), `${n}: its watcher is gone after uninstall`);
      await mfdata(rt, 'plugins', 'install', archive);
    }
    for (const [t, check] of Object.entries(checks)) await check(rt, `t_${t}`);
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'trash')).filter((f) => !f.includes('.nomatch/')), [], 'no file failed');
  } finally {
    await rt.stop();
  }
});
