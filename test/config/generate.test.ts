// Config generation from the example plugins: golden files byte for byte, determinism, and the files on disk.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { generateConfigAuto, type ConfigAuto } from '../../runtime/config/generate';
import { writeConfigAuto } from '../../runtime/config/generate/write';
import { checkDocument } from '../../runtime/config/validate';
import type { SupervisorConfig } from '../../runtime/supervisor/watcher-spec';
import { GENERAL, tempTree, writeFiles, type TempTree } from './helpers';

const repo = path.resolve(__dirname, '../../..');
const goldenDir = path.join(repo, 'test/config/golden');
const options = { runtimeDir: '/opt/mfdata/runtime', nodePath: '/usr/bin/node' };

/** A temp workspace holding copies of examples/plugins (step modules stubbed when not written yet). */
function exampleWorkspace(extra: Record<string, string> = {}): TempTree {
  const t = tempTree(extra);
  fs.cpSync(path.join(repo, 'examples/plugins'), path.join(t.workspace, 'plugins'), { recursive: true });
  for (const [plugin, steps] of [['normalize', ['main', 'archive']], ['fail_demo', ['main']]] as const) {
    for (const step of steps) {
      const file = path.join(t.workspace, 'plugins', plugin, `${step}.ts`);
      if (!fs.existsSync(file)) fs.writeFileSync(file, '');
    }
  }
  return t;
}

function generate(t: TempTree): ConfigAuto {
  const { config, problems } = loadRuntimeConfig({ workspace: t.workspace, home: t.home, env: {} });
  assert.deepEqual(problems, []);
  return generateConfigAuto(config, options);
}

/** Machine-independent text: the temp root becomes @ROOT@, fingerprints become @FINGERPRINT@. */
function normalise(content: string, root: string): string {
  return content.split(root).join('@ROOT@').replace(/"fingerprint": "[0-9a-f]{64}"/g, '"fingerprint": "@FINGERPRINT@"');
}

test('the example plugins produce the golden directory_observer.ini, redis.conf, watchers.json and plugin JSON byte for byte', () => {
  const t = exampleWorkspace();
  try {
    const generated = generate(t);
    assert.deepEqual(generated.files.map((f) => f.path), ['directory_observer.ini', 'plugins/fail_demo.json', 'plugins/normalize.json', 'redis.conf', 'switch_rules.json', 'watchers.json']);
    for (const file of generated.files) {
      const golden = path.join(goldenDir, file.path);
      const actual = normalise(file.content, t.root);
      if (process.env.MFDATA_UPDATE_GOLDEN === '1') {
        fs.mkdirSync(path.dirname(golden), { recursive: true });
        fs.writeFileSync(golden, actual);
      }
      assert.equal(actual, fs.readFileSync(golden, 'utf8'), `${file.path} differs from ${golden} (MFDATA_UPDATE_GOLDEN=1 rewrites it)`);
    }
  } finally {
    t.cleanup();
  }
});

test('main watches its inbox and drop/normalize under IN; each (plugin, step, directory) is one section', () => {
  const t = exampleWorkspace();
  try {
    const ini = generate(t).files.find((f) => f.path === 'directory_observer.ini')!.content;
    const IN = path.join(t.home, 'var/in');
    assert.match(ini, new RegExp(`\\[step_normalize_main_1\\]\nactive = true\ndirectory = ${IN}/step.normalize.main\nqueue = step.normalize.main\n`));
    assert.match(ini, new RegExp(`\\[step_normalize_main_2\\]\nactive = true\ndirectory = ${IN}/drop/normalize\nqueue = step.normalize.main\n`));
    assert.match(ini, /redis_unix_socket = .*\/home\/var\/redis.sock\n/);
  } finally {
    t.cleanup();
  }
});

test('generation is deterministic: same input, same bytes', () => {
  const t = exampleWorkspace();
  try {
    assert.deepEqual(generate(t), generate(t));
  } finally {
    t.cleanup();
  }
});

test('watchers start in order redis, steps, directory_observer, conf_monitor, housekeeping, with MFDATA variables', () => {
  const t = exampleWorkspace();
  try {
    const { supervisor } = generate(t);
    assert.deepEqual(supervisor.watchers.map((w) => [w.name, w.priority]), [
      ['redis', 0], ['step.fail_demo.main', 10], ['step.fail_demo.main_reinject', 10], ['step.normalize.archive', 10], ['step.normalize.main', 10], ['directory_observer', 20], ['conf_monitor', 30], ['housekeeping', 40],
    ]);
    // housekeeping ([housekeeping] defaults) drops the tags of what it deletes from the same Redis as the workers.
    const hk = supervisor.watchers.find((w) => w.name === 'housekeeping')!;
    assert.deepEqual(hk.args.slice(1), ['--home', t.home, '--interval', '300', '--trash-max-lifetime', '1440', '--other-max-lifetime', '360']);
    assert.equal(hk.env.MFDATA_REDIS_UNIX_SOCKET, path.join(t.home, 'var/redis.sock'));
    const main = supervisor.watchers.find((w) => w.name === 'step.normalize.main')!;
    assert.equal(main.cwd, path.join(t.workspace, 'plugins/normalize'));
    assert.deepEqual(main.watchPaths, [main.cwd]);
    assert.equal(main.env.MFDATA_CURRENT_PLUGIN_CUSTOM_OUTPUT_DIR, path.join(t.home, 'var/out/normalize'));
    // Worker counts are the supervisor's business: not in the environment, so scaling restarts nothing.
    assert.equal(main.env.MFDATA_CURRENT_PLUGIN_STEP_ARCHIVE_NUMPROCESSES, undefined);
    assert.equal(main.env.MFDATA_CURRENT_PLUGIN_STEP_ARCHIVE_FAILURE_POLICY, 'keep');
    assert.equal(main.env.MFDATA_CURRENT_PLUGIN_STEP_MAIN_DEBUG, '0');
    assert.equal(main.env.MFDATA_CURRENT_STEP_QUEUE, 'step.normalize.main');
    assert.equal(main.env.TMPDIR, path.join(t.home, 'tmp/normalize'));
    assert.equal(main.gracefulTimeout, 30);
  } finally {
    t.cleanup();
  }
});

test('a change to one plugin changes only its watchers\' fingerprints; debug sets MFLOG_MINIMAL_LEVEL=DEBUG', () => {
  const t = exampleWorkspace();
  try {
    const before = generate(t).supervisor;
    const file = path.join(t.workspace, 'plugins/fail_demo/config.ini');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('numprocesses = 1', 'numprocesses = 1\ndebug = 1'));
    const after = generate(t).supervisor;
    const changed = after.watchers.filter((w, i) => w.fingerprint !== before.watchers[i].fingerprint).map((w) => w.name);
    // The hidden reinject step (retry_total = 2) shares the step's settings, debug included.
    assert.deepEqual(changed, ['step.fail_demo.main', 'step.fail_demo.main_reinject']);
    assert.equal(after.watchers.find((w) => w.name === 'step.fail_demo.main')!.env.MFLOG_MINIMAL_LEVEL, 'DEBUG');
  } finally {
    t.cleanup();
  }
});

test('only steps that run plugin code are restarted by a code change (watchPaths): TypeScript steps and a switch, not the other built-ins', () => {
  const t = exampleWorkspace();
  try {
    fs.writeFileSync(path.join(t.workspace, 'plugins/normalize/config.ini'), `${fs.readFileSync(path.join(t.workspace, 'plugins/normalize/config.ini'), 'utf8')}
[step_copy]
_step_module = builtin:copy
dest_dirs = normalize/archive
`);
    const watchers = generate(t).supervisor.watchers;
    const paths = (name: string): string[] | undefined => watchers.find((w) => w.name === name)?.watchPaths;
    assert.deepEqual(paths('step.normalize.main'), [path.join(t.workspace, 'plugins/normalize')]);
    assert.deepEqual(paths('step.normalize.copy'), []);
    assert.deepEqual(paths('step.fail_demo.main_reinject'), []);
  } finally {
    t.cleanup();
  }
});

test('a change of numprocesses changes no fingerprint, so a reload only adds or removes processes', () => {
  const t = exampleWorkspace();
  try {
    const before = generate(t).supervisor;
    const file = path.join(t.workspace, 'plugins/normalize/config.ini');
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /numprocesses = 1/);
    fs.writeFileSync(file, text.replace('numprocesses = 1', 'numprocesses = 3'));
    const after = generate(t).supervisor;
    assert.deepEqual(after.watchers.map((w) => w.fingerprint), before.watchers.map((w) => w.fingerprint));
    assert.notDeepEqual(after.watchers.map((w) => w.numprocesses), before.watchers.map((w) => w.numprocesses));
  } finally {
    t.cleanup();
  }
});

test('an external Redis: no redis watcher, no redis.conf, the observer and workers point at it; no conf_monitor without autorestart, no housekeeping without its flag', () => {
  const t = exampleWorkspace({ 'ws/mfdata.ini': '[redis]\nhost = redis.example\nport = 6380\n[autorestart]\nflag = 0\n[housekeeping]\nflag = 0\n' });
  try {
    const generated = generate(t);
    assert.deepEqual(generated.supervisor.watchers.map((w) => w.name), ['step.fail_demo.main', 'step.fail_demo.main_reinject', 'step.normalize.archive', 'step.normalize.main', 'directory_observer']);
    assert.equal(generated.files.some((f) => f.path === 'redis.conf'), false);
    assert.match(generated.files[0].content, /redis_server = redis.example\nredis_port = 6380\nredis_unix_socket = null\n/);
    assert.equal(generated.supervisor.watchers[0].env.MFDATA_REDIS_HOST, 'redis.example');
  } finally {
    t.cleanup();
  }
});

test('a relative [redis] unix_socket is resolved against the project folder (where mfdata.ini is), for redis.conf, the observer and the workers alike', () => {
  const t = exampleWorkspace({ 'ws/mfdata.ini': '[redis]\nunix_socket = run/redis.sock\n' });
  try {
    const generated = generate(t);
    const socket = path.join(t.workspace, 'run/redis.sock');
    const redisConf = generated.files.find((f) => f.path === 'redis.conf');
    assert.ok(redisConf, 'our own Redis still has its redis.conf');
    assert.match(redisConf.content, new RegExp(`^unixsocket ${socket}$`, 'm'));
    assert.match(generated.files[0].content, new RegExp(`^redis_unix_socket = ${socket}$`, 'm'));
    const step = generated.supervisor.watchers.find((w) => w.name === 'step.normalize.main');
    assert.equal(step?.env.MFDATA_REDIS_UNIX_SOCKET, socket);
  } finally {
    t.cleanup();
  }
});

test('writeConfigAuto writes under <home>/tmp/config_auto, reports only changed files and removes stale plugin JSON', () => {
  const t = exampleWorkspace();
  try {
    const generated = generate(t);
    const first = writeConfigAuto(t.home, generated);
    assert.deepEqual(first.changed, generated.files.map((f) => f.path));
    const onDisk = JSON.parse(fs.readFileSync(path.join(t.home, 'tmp/config_auto/watchers.json'), 'utf8')) as SupervisorConfig;
    assert.deepEqual(onDisk, generated.supervisor);
    assert.deepEqual(writeConfigAuto(t.home, generated), { changed: [], removed: [] });
    fs.rmSync(path.join(t.workspace, 'plugins/fail_demo'), { recursive: true });
    const third = writeConfigAuto(t.home, generate(t));
    assert.deepEqual(third, { changed: ['directory_observer.ini', 'watchers.json'], removed: ['plugins/fail_demo.json'] });
    assert.deepEqual(fs.readdirSync(path.join(t.home, 'tmp/config_auto/plugins')), ['normalize.json']);
  } finally {
    t.cleanup();
  }
});

test('an operator override changes the plugin JSON and the environment, not the plugin file', () => {
  const t = exampleWorkspace();
  try {
    writeFiles(t.root, { 'home/config/plugins/normalize.ini': '[custom]\noutput_dir = /data/normalized\n[step_main]\nnumprocesses = 3\n' });
    const generated = generate(t);
    const plugin = JSON.parse(generated.files.find((f) => f.path === 'plugins/normalize.json')!.content);
    assert.equal(plugin.custom.output_dir, '/data/normalized');
    assert.equal(generated.supervisor.watchers.find((w) => w.name === 'step.normalize.main')!.numprocesses, 3);
  } finally {
    t.cleanup();
  }
});

test('an operator override sets an option of a built-in step, which the plugin\'s _step_module decides', () => {
  const t = tempTree({
    'ws/plugins/p1/config.ini': `${GENERAL}[step_main]\n_step_module = builtin:move\ndest_dir = p1/out\n[step_out]\n_step_module = builtin:delete\n`,
    'home/config/plugins/p1.ini': '[step_main]\ndest_dir = /data/out\n',
  });
  try {
    const { config, problems } = loadRuntimeConfig({ workspace: t.workspace, home: t.home, env: {} });
    assert.deepEqual(problems, []);
    assert.equal(config.plugins.find((p) => p.name === 'p1')!.steps.find((s) => s.name === 'main')!.options.dest_dir, '/data/out');
  } finally {
    t.cleanup();
  }
});

test('an operator override may not set an option the plugin\'s step module does not take', () => {
  const t = tempTree({
    'ws/plugins/p1/config.ini': `${GENERAL}[step_main]\n_step_module = builtin:delete\n`,
    'home/config/plugins/p1.ini': '[step_main]\ndest_dir = /data/out\n',
  });
  try {
    const { problems } = loadRuntimeConfig({ workspace: t.workspace, home: t.home, env: {} });
    assert.deepEqual(problems.map((p) => `${p.code} ${p.key}`), ['unknown-key dest_dir']);
  } finally {
    t.cleanup();
  }
});

test('the generated directory_observer.ini passes the observer schema checks', () => {
  const t = exampleWorkspace();
  try {
    const ini = generate(t).files.find((f) => f.path === 'directory_observer.ini')!.content;
    assert.deepEqual(checkDocument('observer', ini, 'directory_observer.ini', { env: {}, home: t.home }).problems, []);
  } finally {
    t.cleanup();
  }
});
