// `mfdata plugins create|build|install|uninstall|info` through the real command line entry point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../runtime/cli/main';
import { listTemplates } from '../../runtime/plugins/create';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { formatProblem } from '../../runtime/config/errors';

function sink(): Writable & { text: string } {
  const w = new Writable({ write(chunk, _enc, cb) { w.text += String(chunk); cb(); } }) as Writable & { text: string };
  w.text = '';
  return w;
}

async function mfdata(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = sink();
  const stderr = sink();
  const code = await main(argv, { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

const TEMPLATES = ['default', 'copy', 'move', 'archive', 'fork', 'delete', 'ungzip', 'switch', 'batch', 'listener'];

test('every template named in the issue exists and --list shows them', async () => {
  assert.deepEqual(listTemplates().map((t) => t.name).sort(), [...TEMPLATES].sort());
  const r = await mfdata('plugins', 'create', '--list');
  assert.equal(r.code, 0);
  for (const t of TEMPLATES) assert.match(r.out, new RegExp(`^${t}\\s`, 'm'));
});

test('a plugin created from each template passes the configuration check, builds, installs, shows info and uninstalls', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-create-'));
  try {
    const home = path.join(ws, '.mfdata');
    for (const t of TEMPLATES) {
      const name = `p_${t}`;
      const created = await mfdata('--workspace', ws, '--home', home, 'plugins', 'create', name, '--template', t);
      assert.equal(created.code, 0, created.err);
      const dir = path.join(ws, 'plugins', name);
      assert.ok(fs.existsSync(path.join(dir, 'config.ini')));
      assert.ok(fs.existsSync(path.join(dir, 'test/plugin.test.mjs')), `${t}: a test the author can run`);
      assert.ok(!fs.readFileSync(path.join(dir, 'config.ini'), 'utf8').includes('__'), `${t}: every placeholder filled`);
    }
    const loaded = loadRuntimeConfig({ workspace: ws, home, env: process.env });
    const errors = loaded.problems.filter((p) => p.severity === 'error').map(formatProblem);
    assert.deepEqual(errors, []);
    assert.deepEqual(loaded.rejectedPlugins, []);
    assert.equal(loaded.config.plugins.length, TEMPLATES.length);

    for (const t of TEMPLATES) {
      const name = `p_${t}`;
      const built = await mfdata('--workspace', ws, '--home', home, 'plugins', 'build', name, '--output', path.join(ws, 'dist'));
      assert.equal(built.code, 0, built.err);
      const archive = path.join(ws, 'dist', `${name}-1.0.0-1.plugin`);
      assert.ok(fs.existsSync(archive), built.out);
      const info = await mfdata('--workspace', ws, '--home', home, 'plugins', 'info', archive, '--json');
      const parsed = JSON.parse(info.out) as { name: string; files: string[] };
      assert.equal(parsed.name, name);
      assert.ok(parsed.files.includes('config.ini'));
      assert.ok(!parsed.files.some((f) => f.startsWith('test/')), '.releaseignore keeps the tests out');
      const inst = await mfdata('--workspace', ws, '--home', home, 'plugins', 'install', archive, '--new-name', `i_${t}`);
      assert.equal(inst.code, 0, inst.err);
      assert.match(inst.out, /not running/);
      assert.ok(fs.existsSync(path.join(home, 'var/plugins', `i_${t}`, 'config.ini')));
    }
    // The installed copies are valid plugins too (under their new names).
    const again = loadRuntimeConfig({ workspace: ws, home, env: process.env });
    assert.deepEqual(again.problems.filter((p) => p.severity === 'error').map(formatProblem), []);
    assert.equal(again.config.plugins.filter((p) => p.origin === 'installed').length, TEMPLATES.length);

    const wsInfo = await mfdata('--workspace', ws, '--home', home, 'plugins', 'info', 'p_switch');
    assert.equal(wsInfo.code, 0, wsInfo.err);
    assert.match(wsInfo.out, /^origin: +workspace$/m);
    assert.match(wsInfo.out, /^version: +1\.0\.0$/m);
    const instInfo = JSON.parse((await mfdata('--workspace', ws, '--home', home, 'plugins', 'info', 'i_switch', '--json')).out) as { origin: string; build_host: string };
    assert.equal(instInfo.origin, 'installed');
    assert.ok(instInfo.build_host, 'installed plugins keep their archive metadata');
    const dup = await mfdata('--workspace', ws, '--home', home, 'plugins', 'create', 'p_default');
    assert.equal(dup.code, 1);
    assert.match(dup.err, /already exists/);
    const bad = await mfdata('--workspace', ws, '--home', home, 'plugins', 'create', 'plugin_x');
    assert.match(bad.err, /must not start with 'plugin_'/);
    // A file still waiting in one of its inboxes: the uninstall says where it stays.
    const inbox = path.join(home, 'var/in/step.i_default.main');
    fs.mkdirSync(inbox, { recursive: true });
    fs.writeFileSync(path.join(inbox, 'late.csv'), 'x');
    const un = await mfdata('--workspace', ws, '--home', home, 'plugins', 'uninstall', 'i_default');
    assert.equal(un.code, 0, un.err);
    assert.ok(!fs.existsSync(path.join(home, 'var/plugins/i_default')));
    assert.match(un.out, new RegExp(`1 file\\(s\\) of i_default are still in ${inbox.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no worker takes them`));
    assert.ok(fs.existsSync(path.join(inbox, 'late.csv')), 'left where it was');
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a plugin created outside plugins/ is told how to reach the runtime; an install hidden by a workspace plugin of its name says so', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-create-'));
  try {
    const home = path.join(ws, '.mfdata');
    const elsewhere = path.join(ws, 'elsewhere');
    const out = await mfdata('--workspace', ws, '--home', home, 'plugins', 'create', 'outer', '--dir', elsewhere);
    assert.equal(out.code, 0, out.err);
    assert.match(out.out, /not in the workspace's plugins\/ folder, so the runtime does not run it: mfdata plugins build .*outer && mfdata plugins install/);
    const inner = await mfdata('--workspace', ws, '--home', home, 'plugins', 'create', 'twin');
    assert.match(inner.out, /^next: mfdata config check; mfdata start;/m);
    const built = await mfdata('--workspace', ws, '--home', home, 'plugins', 'build', 'twin', '--output', path.join(ws, 'dist'));
    assert.equal(built.code, 0, built.err);
    const installed = await mfdata('--workspace', ws, '--home', home, 'plugins', 'install', path.join(ws, 'dist', 'twin-1.0.0-1.plugin'));
    assert.equal(installed.code, 0, installed.err);
    assert.match(installed.out, /note: the workspace plugin .*plugins\/twin has the same name and is the one the runtime runs/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
