// `mfdata plugins list`, `mfdata config check` and `mfdata config show`, run as the built bundle in a child process.
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERAL, tempTree, type TempTree } from '../config/helpers';

const repo = path.resolve(__dirname, '../../..');
const cli = path.join(repo, 'dist/runtime/cli.js');

before(() => {
  if (!fs.existsSync(cli)) {
    const built = spawnSync(process.execPath, [path.join(repo, 'scripts/build.mjs')], { cwd: repo, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
  }
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mfdata(args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const { MFDATA_HOME: _ignored, ...base } = process.env;
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A workspace holding the example plugins (step modules stubbed when not written yet). */
function examples(): TempTree {
  const t = tempTree();
  fs.cpSync(path.join(repo, 'examples/plugins'), path.join(t.workspace, 'plugins'), { recursive: true });
  for (const f of ['normalize/main.ts', 'normalize/archive.ts', 'fail_demo/main.ts']) {
    const file = path.join(t.workspace, 'plugins', f);
    if (!fs.existsSync(file)) fs.writeFileSync(file, '');
  }
  return t;
}

test('mfdata --help lists plugins list, config check and config show', () => {
  const r = mfdata(['--help'], repo);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /plugins list +list the plugins/);
  assert.match(r.stdout, /config check +check mfdata.ini/);
  assert.match(r.stdout, /config show +print the generated configuration/);
});

test('plugins list shows name, version, release, origin and home; --json gives the same rows', () => {
  const t = examples();
  try {
    fs.mkdirSync(path.join(t.home, 'var/plugins/installed_one'), { recursive: true });
    fs.writeFileSync(path.join(t.home, 'var/plugins/installed_one/config.ini'), GENERAL.replace('1.0.0', '2.3.4') + '[step_main]\n_step_module = builtin:delete\n');
    const r = mfdata(['--home', t.home, 'plugins', 'list'], t.workspace);
    assert.equal(r.code, 0, r.stderr);
    const ws = path.join(t.workspace, 'plugins');
    assert.equal(r.stdout, [
      'Name           Version  Release  Origin     Home',
      `fail_demo      1.0.0    1        workspace  ${ws}/fail_demo`,
      `installed_one  2.3.4    1        installed  ${t.home}/var/plugins/installed_one`,
      `normalize      1.0.0    1        workspace  ${ws}/normalize`,
      '',
    ].join('\n'));
    const json = JSON.parse(mfdata(['plugins', 'list', '--json', '--home', t.home], t.workspace).stdout);
    assert.deepEqual(json.map((p: { name: string; steps: string[] }) => [p.name, p.steps]), [['fail_demo', ['main', 'main_reinject']], ['installed_one', ['main']], ['normalize', ['archive', 'main']]]);
  } finally {
    t.cleanup();
  }
});

test('plugins list still shows a plugin whose configuration has errors, marked invalid, with its written version', () => {
  const t = examples();
  try {
    fs.writeFileSync(path.join(t.workspace, 'plugins/fail_demo/config.ini'), GENERAL.replace('1.0.0', '0.9') + '[step_main]\nnumprocesses = x\n');
    const r = mfdata(['plugins', 'list', '--home', t.home], t.workspace);
    assert.equal(r.code, 0);
    const row = r.stdout.split('\n').find((l) => l.startsWith('fail_demo'));
    assert.deepEqual(row?.split(/ {2,}/).slice(0, 4), ['fail_demo (invalid)', '0.9', '1', 'workspace']);
  } finally {
    t.cleanup();
  }
});

test('config check on the examples: exit 0 and a summary; the workspace is found from a sub-directory', () => {
  const t = examples();
  try {
    const r = mfdata(['config', 'check'], path.join(t.workspace, 'plugins/normalize'), { MFDATA_HOME: t.home });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, 'configuration OK: 2 plugins, 4 steps\n');
  } finally {
    t.cleanup();
  }
});

test('config check lists every problem as file:line:col and exits 1; the other plugins still count', () => {
  const t = examples();
  try {
    const bad = path.join(t.workspace, 'plugins/broken/config.ini');
    fs.mkdirSync(path.dirname(bad));
    fs.writeFileSync(bad, GENERAL + '[step_main]\nnumprocess = 2\nfailure_policy = trash\n');
    fs.writeFileSync(path.join(t.workspace, 'plugins/broken/main.ts'), '');
    const r = mfdata(['config', 'check', '--home', t.home], t.workspace);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, [
      `${bad}:9:1: error: unknown key 'numprocess' in [step_main] (did you mean 'numprocesses'?)`,
      `${bad}:10:18: error: 'failure_policy' must be one of keep, delete, move, not 'trash'`,
      'configuration has 2 error(s) and 0 warning(s)',
      '',
    ].join('\n'));
  } finally {
    t.cleanup();
  }
});

test('config show prints every generated file; with a file name only that one; --json as an object', () => {
  const t = examples();
  try {
    const all = mfdata(['config', 'show', '--home', t.home], t.workspace);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual([...all.stdout.matchAll(/^==> (.*) <==$/gm)].map((m) => m[1]),
      ['directory_observer.ini', 'plugins/fail_demo.json', 'plugins/normalize.json', 'redis.conf', 'switch_rules.json', 'watchers.json']);
    const ini = mfdata(['config', 'show', 'directory_observer.ini', '--home', t.home], t.workspace);
    assert.equal(ini.code, 0);
    assert.match(ini.stdout, /^# Generated by mfdata/);
    assert.match(ini.stdout, new RegExp(`directory = ${t.home}/var/in/drop/normalize\n`));
    const watchers = JSON.parse(mfdata(['config', 'show', 'watchers.json', '--home', t.home], t.workspace).stdout);
    const observer = watchers.watchers.find((w: { name: string }) => w.name === 'directory_observer');
    // The runtime entry points sit next to the running cli bundle.
    assert.deepEqual(observer.args.slice(0, 1), [path.join(repo, 'dist/runtime/observer.js')]);
    assert.equal(observer.command, process.execPath);
    const json = JSON.parse(mfdata(['config', 'show', '--json', 'redis.conf', '--home', t.home], t.workspace).stdout);
    assert.match(json['redis.conf'], new RegExp(`unixsocket ${t.home}/var/redis.sock\n`));
  } finally {
    t.cleanup();
  }
});

test('config show with an unknown file name is a usage error (exit 2) naming the files', () => {
  const t = examples();
  try {
    const r = mfdata(['config', 'show', 'nope.ini', '--home', t.home], t.workspace);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "mfdata: no generated file 'nope.ini' (files: directory_observer.ini, plugins/fail_demo.json, plugins/normalize.json, redis.conf, switch_rules.json, watchers.json)\n");
  } finally {
    t.cleanup();
  }
});

test('a reader that goes away early (mfdata … | head) ends the command quietly, exit 0, no EPIPE stack', async () => {
  const child = spawn(process.execPath, [cli, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Closed before the command writes anything: its first write meets EPIPE.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
