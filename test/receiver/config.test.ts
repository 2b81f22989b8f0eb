// mfdata.ini [http_receiver]: the http_receiver watcher exists when flag = 1, between the steps and the observer, and config check warns about dead ends.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { generateConfigAuto } from '../../runtime/config/generate';

const PLUGIN_INI = `[general]\n_version = 1.0.0\n_summary = s\n_license = MIT\n_url = https://example.invalid\n_maintainer = m\n_vendor = v\n\n[step_main]\nwatched_directories = incoming\n`;

/** `files`: more files in the workspace, relative path → [content, mode] (token files). */
function load(ini: string, t: { after(fn: () => void): void }, withPlugin = false, files: Record<string, [string, number]> = {}) {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-recvcfg-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  fs.mkdirSync(path.join(ws, 'plugins'));
  if (withPlugin) {
    fs.mkdirSync(path.join(ws, 'plugins/p'));
    fs.writeFileSync(path.join(ws, 'plugins/p/config.ini'), PLUGIN_INI);
    fs.writeFileSync(path.join(ws, 'plugins/p/main.ts'), 'export function process(): boolean { return true; }\n');
  }
  fs.writeFileSync(path.join(ws, 'mfdata.ini'), ini);
  for (const [rel, [text, mode]] of Object.entries(files)) {
    fs.writeFileSync(path.join(ws, rel), text);
    fs.chmodSync(path.join(ws, rel), mode);
  }
  const home = path.join(ws, '.mfdata');
  const { config, problems } = loadRuntimeConfig({ workspace: ws, home, env: {} });
  const watchers = generateConfigAuto(config, { runtimeDir: '/rt', nodePath: '/usr/bin/node', redisServer: 'redis-server' }).supervisor.watchers;
  return { ws, home, watchers, problems };
}

test('flag = 1 runs receiver.js with the section\'s values, after the steps and before the observer', (t) => {
  const { home, watchers } = load('[http_receiver]\nflag = 1\nport = 9999\nbind = 0.0.0.0\nunix_socket = var/recv.sock\nmax_body_mb = 7\n', t, true);
  const w = watchers.find((x) => x.name === 'http_receiver');
  assert.ok(w);
  assert.equal(w.kind, 'http_receiver');
  assert.deepEqual([w.command, ...w.args], [
    '/usr/bin/node', '/rt/receiver.js', '--home', home, '--directory', path.join(home, 'var/in/incoming'), '--port', '9999', '--bind', '0.0.0.0',
    '--max-body-mb', '7', '--only', '^.*$', '--ignore', '^.*\\.t$;^.*\\.tmp$', '--unix-socket', path.join(home, 'var/recv.sock'),
  ]);
  assert.equal(w.logFile, path.join(home, 'log', 'http_receiver.log'));
  const names = watchers.map((x) => x.name);
  assert.ok(names.indexOf('step.p.main') < names.indexOf('http_receiver'));
  assert.ok(names.indexOf('http_receiver') < names.indexOf('directory_observer'));
});

test('defaults: port 9091 on 127.0.0.1, 100 MB, incoming/, no unix socket; no section = no watcher', (t) => {
  const w = load('[http_receiver]\nflag = 1\n', t).watchers.find((x) => x.name === 'http_receiver');
  assert.ok(w);
  assert.deepEqual(w.args.slice(5, 11), ['--port', '9091', '--bind', '127.0.0.1', '--max-body-mb', '100']);
  assert.equal(w.args.includes('--unix-socket'), false);
  assert.equal(load('[log]\nminimal_level = INFO\n', t).watchers.some((x) => x.kind === 'http_receiver'), false);
});

test('config check warns when no step watches the receiver\'s directory, and not when one does', (t) => {
  const unwatched = load('\n[http_receiver]\nflag = 1\n', t).problems.filter((p) => p.code === 'receiver-directory-unwatched');
  assert.equal(unwatched.length, 1);
  assert.equal(unwatched[0].severity, 'warning');
  assert.equal(unwatched[0].line, 2);
  assert.deepEqual(load('[http_receiver]\nflag = 1\n', t, true).problems, []);
  assert.deepEqual(load('[http_receiver]\nflag = 1\n[internal_plugins]\ninstall_guess_file_type = 1\n', t).problems.filter((p) => p.code.startsWith('receiver-')), []);
});

test('port = 0 without unix_socket is an error: nothing to listen on', (t) => {
  const problems = load('[http_receiver]\nflag = 1\nport = 0\n', t, true).problems;
  assert.deepEqual(problems.map((p) => [p.severity, p.code]), [['error', 'receiver-no-listener']]);
});

const TOKEN_INI = '[http_receiver]\nflag = 1\nbind = 0.0.0.0\ntoken_file = receiver.token\n';

test('token_file: the receiver gets the path (relative to mfdata.ini\'s folder), never the token', (t) => {
  const { ws, watchers, problems } = load(TOKEN_INI, t, true, { 'receiver.token': ['s3cret\n', 0o600] });
  assert.deepEqual(problems, []);
  const w = watchers.find((x) => x.name === 'http_receiver');
  assert.ok(w);
  assert.deepEqual(w.args.slice(-2), ['--token-file', path.join(ws, 'receiver.token')]);
  assert.equal(JSON.stringify(w).includes('s3cret'), false);
});

test('token_file readable by group or others, empty or missing is an error on the token_file line, saying what to do', (t) => {
  const cases: [Record<string, [string, number]>, RegExp][] = [
    [{ 'receiver.token': ['s3cret\n', 0o644] }, /receiver\.token has mode 0644, readable by group or others \(chmod 600 /],
    [{ 'receiver.token': ['s3cret\n', 0o640] }, /mode 0640/],
    [{ 'receiver.token': [' \n', 0o600] }, /receiver\.token is empty/],
    [{}, /cannot read .*receiver\.token/],
  ];
  for (const [files, message] of cases) {
    const problems = load(TOKEN_INI, t, true, files).problems;
    assert.deepEqual(problems.map((p) => [p.severity, p.code, p.key, p.line]), [['error', 'receiver-token-file', 'token_file', 4]], JSON.stringify(problems));
    assert.match(problems[0].message, message);
    assert.match(problems[0].hint ?? '', /chmod 600/);
  }
});

test('binding beyond loopback without token_file is a warning on the bind line; loopback or a token is not', (t) => {
  const open = load('[http_receiver]\nflag = 1\nport = 9091\nbind = 0.0.0.0\n', t, true).problems;
  assert.deepEqual(open.map((p) => [p.severity, p.code, p.key, p.line]), [['warning', 'receiver-no-auth', 'bind', 4]]);
  assert.deepEqual(load('[http_receiver]\nflag = 1\nbind = 127.0.0.1\n', t, true).problems, []);
  assert.deepEqual(load('[http_receiver]\nflag = 1\nbind = ::1\n', t, true).problems, []);
  // Only the unix socket listens: nothing reachable from elsewhere.
  assert.deepEqual(load('[http_receiver]\nflag = 1\nport = 0\nbind = 0.0.0.0\nunix_socket = var/r.sock\n', t, true).problems, []);
});

test('a new token changes the receiver\'s fingerprint (a reload restarts it); the same token does not', (t) => {
  const { ws, home } = load(TOKEN_INI, t, true, { 'receiver.token': ['first\n', 0o600] });
  const fingerprint = (token: string): string | undefined => {
    fs.writeFileSync(path.join(ws, 'receiver.token'), token);
    const { config } = loadRuntimeConfig({ workspace: ws, home, env: {} });
    const watchers = generateConfigAuto(config, { runtimeDir: '/rt', nodePath: '/usr/bin/node', redisServer: 'redis-server' }).supervisor.watchers;
    return watchers.find((x) => x.name === 'http_receiver')?.fingerprint;
  };
  const first = fingerprint('first\n');
  assert.ok(first);
  assert.equal(fingerprint('first'), first);
  assert.notEqual(fingerprint('second\n'), first);
});
