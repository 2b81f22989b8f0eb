// The `mfdata` debug configuration becomes one js-debug `node` launch of a step worker: the same command the
// supervisor runs (from watchers.json), source maps resolved only in the compiled steps and the plugin, runtime
// frames skipped, no child auto-attach and no fixed inspector port.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { WatcherSpec } from '../../runtime/supervisor/watcher-spec';
import {
  DebugConfigurationError, initialConfigurations, markerOf, nodeLaunchConfiguration, oneShotWorkerCommand, workerCommandFromSpec, type MfdataDebugMarker,
} from '../../src/debug/launchConfig';

const spec: WatcherSpec = {
  name: 'step.normalize.main', kind: 'step', plugin: 'normalize', step: 'main', command: '/usr/bin/node',
  args: ['--enable-source-maps', '/ext/dist/runtime/worker.js', '--home', '/ws/.mfdata', '--plugin', 'normalize', '--step', 'main'],
  cwd: '/ws/plugins/normalize', env: { MFDATA_HOME: '/ws/.mfdata', MFDATA_CURRENT_PLUGIN_NAME: 'normalize' }, numprocesses: 2, gracefulTimeout: 30,
  stopSignal: 'SIGTERM', maxAge: 0, maxAgeVariance: 0, priority: 10, autostart: true, logFile: '/ws/.mfdata/log/step_normalize_main.log', fingerprint: 'x',
};
const marker: MfdataDebugMarker = { id: 'abc', mode: 'queue', plugin: 'normalize', step: 'main', watcher: 'step.normalize.main' };

test('the worker command of a step watcher: its node, its flags, the worker script and its arguments', () => {
  assert.deepEqual(workerCommandFromSpec(spec), {
    node: '/usr/bin/node', nodeFlags: ['--enable-source-maps'], program: '/ext/dist/runtime/worker.js',
    args: ['--home', '/ws/.mfdata', '--plugin', 'normalize', '--step', 'main'], cwd: '/ws/plugins/normalize', env: spec.env,
  });
});

test('a watcher that does not run a node script cannot be debugged as a step worker', () => {
  assert.throws(() => workerCommandFromSpec({ ...spec, command: '/bin/sh', args: ['-c', 'true'] }), DebugConfigurationError);
});

test('the node launch: bootloader-managed inspector (no port), source maps from the home build dir and the plugin, runtime bundle skipped', () => {
  const launch = nodeLaunchConfiguration({ name: 'MFDATA: normalize/main', command: workerCommandFromSpec(spec), home: '/ws/.mfdata', pluginDir: '/ws/plugins/normalize', marker, extraEnv: { MFDATA_DEBUG_UNCAUGHT: '1' } });
  assert.equal(launch.type, 'node');
  assert.equal(launch.request, 'launch');
  assert.equal(launch.runtimeExecutable, '/usr/bin/node');
  assert.deepEqual(launch.runtimeArgs, ['--enable-source-maps']);
  assert.equal(launch.program, '/ext/dist/runtime/worker.js');
  assert.deepEqual(launch.args, ['--home', '/ws/.mfdata', '--plugin', 'normalize', '--step', 'main']);
  assert.equal(launch.cwd, '/ws/plugins/normalize');
  assert.deepEqual(launch.env, { ...spec.env, MFDATA_DEBUG_UNCAUGHT: '1' });
  assert.equal(launch.sourceMaps, true);
  assert.deepEqual(launch.outFiles, ['/ws/.mfdata/tmp/build/**/*.js']);
  assert.deepEqual(launch.resolveSourceMapLocations, ['/ws/.mfdata/tmp/build/**', '/ws/plugins/normalize/**', '!**/node_modules/**']);
  assert.equal(launch.autoAttachChildProcesses, false);
  assert.deepEqual(launch.skipFiles, ['<node_internals>/**', '/ext/dist/runtime/**']);
  assert.equal(launch.outputCapture, 'std', 'mflog lines (process.stdout) reach the Debug Console');
  assert.equal(launch.killBehavior, 'polite', 'stopping the session sends SIGTERM: the worker finishes its file');
  assert.ok(![...launch.runtimeArgs, ...launch.args].some((a) => /--inspect/.test(a)), 'no inspector port of our own');
  assert.deepEqual(markerOf(launch as unknown as Record<string, unknown>), marker);
});

test('--enable-source-maps is added when the watcher runs node without it', () => {
  const launch = nodeLaunchConfiguration({ name: 'x', command: workerCommandFromSpec({ ...spec, args: spec.args.slice(1) }), home: '/h', pluginDir: '/p', marker });
  assert.deepEqual(launch.runtimeArgs, ['--enable-source-maps']);
});

test('debug mode runs the bundled worker with --debug-file and --report', () => {
  const cmd = oneShotWorkerCommand({ node: '/usr/bin/node', runtimeDir: '/ext/dist/runtime', home: '/ws/.mfdata', plugin: 'p', step: 's', file: '/data/a.txt', report: '/ws/.mfdata/tmp/debug/1/report.json', workspace: '/ws', cwd: '/ws/plugins/p' });
  assert.equal(cmd.program, '/ext/dist/runtime/worker.js');
  assert.deepEqual(cmd.args, ['--home', '/ws/.mfdata', '--plugin', 'p', '--step', 's', '--debug-file', '/data/a.txt', '--report', '/ws/.mfdata/tmp/debug/1/report.json', '--workspace', '/ws']);
});

test('markerOf ignores sessions that are not ours', () => {
  assert.equal(markerOf({ type: 'node', request: 'launch' }), undefined);
  assert.equal(markerOf({ __mfdata: { id: 1 } }), undefined);
});

test('initial configurations: the queue variant and the "on the current file" variant for the first step found', () => {
  const [queue, file] = initialConfigurations([{ plugin: 'normalize', step: 'archive' }, { plugin: 'normalize', step: 'main' }]);
  assert.deepEqual(queue, { type: 'mfdata', request: 'launch', name: 'MFDATA: debug normalize/archive', plugin: 'normalize', step: 'archive' });
  assert.equal(file.file, '${file}');
});
