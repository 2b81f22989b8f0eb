// Turns an `mfdata` debug configuration into the js-debug `node` launch of one step worker. Pure (no vscode):
// the worker's command comes from the step's watcher in watchers.json, or from the bundled runtime.
import * as path from 'node:path';
import type { WatcherSpec } from '../../runtime/supervisor/watcher-spec';

/** What a user writes in launch.json (and what the commands start). */
export interface MfdataDebugConfiguration {
  type: 'mfdata';
  request: 'launch';
  name: string;
  plugin?: string;
  step?: string;
  /** Debug mode: process this one file once, from a copy, without the queue. */
  file?: string;
}

/** Marker carried by the node launch, so session events can be tied back to the step being debugged. */
export interface MfdataDebugMarker {
  id: string;
  mode: 'queue' | 'file';
  plugin: string;
  step: string;
  watcher: string;
  /** Debug mode: the report the run writes. */
  report?: string;
  /** Queue mode: seconds the debug worker gets to finish its files once the session ends (the watcher's graceful_timeout). */
  gracefulTimeout?: number;
}

/** The js-debug launch configuration (type `node`), with our marker. */
export interface NodeLaunchConfiguration {
  type: 'node';
  request: 'launch';
  name: string;
  runtimeExecutable: string;
  runtimeArgs: string[];
  program: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  sourceMaps: true;
  outFiles: string[];
  resolveSourceMapLocations: string[];
  autoAttachChildProcesses: false;
  skipFiles: string[];
  console: 'internalConsole';
  outputCapture: 'std';
  killBehavior: 'polite';
  __mfdata: MfdataDebugMarker;
}

/** How to run one worker: the node executable, its flags, the worker script and its arguments. */
export interface WorkerCommand {
  node: string;
  nodeFlags: string[];
  program: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export class DebugConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DebugConfigurationError';
  }
}

/** The worker command of a step watcher from watchers.json: `node [flags] worker.js --home … --plugin P --step S`. */
export function workerCommandFromSpec(spec: WatcherSpec): WorkerCommand {
  const at = spec.args.findIndex((a) => !a.startsWith('-') && /\.[cm]?js$/.test(a));
  if (at < 0) throw new DebugConfigurationError(`watcher ${spec.name} does not run a node script (${spec.command} ${spec.args.join(' ')}): it cannot be debugged as a step worker`);
  return { node: spec.command, nodeFlags: spec.args.slice(0, at), program: spec.args[at], args: spec.args.slice(at + 1), cwd: spec.cwd, env: { ...spec.env } };
}

/** The one-shot debug run with the bundled worker: `worker.js --debug-file F --report R --home H --plugin P --step S [--workspace W]`. */
export function oneShotWorkerCommand(input: { node: string; runtimeDir: string; home: string; plugin: string; step: string; file: string; report: string; workspace?: string; cwd: string }): WorkerCommand {
  const args = ['--home', input.home, '--plugin', input.plugin, '--step', input.step, '--debug-file', input.file, '--report', input.report];
  if (input.workspace) args.push('--workspace', input.workspace);
  return { node: input.node, nodeFlags: [], program: path.join(input.runtimeDir, 'worker.js'), args, cwd: input.cwd, env: { MFDATA_HOME: input.home } };
}

/**
 * The js-debug launch: source maps on, looked for only in the home's compiled steps and the plugin's folder (the
 * runtime bundle's own map is not needed: its frames are skipped), no child-process auto-attach (a worker starts
 * none that runs step code), js-debug's own inspector pipe (no port to pick, so two debugged steps never clash).
 */
export function nodeLaunchConfiguration(input: { name: string; command: WorkerCommand; home: string; pluginDir: string; marker: MfdataDebugMarker; extraEnv?: Record<string, string> }): NodeLaunchConfiguration {
  const { command, home, pluginDir } = input;
  const buildDir = path.join(home, 'tmp', 'build');
  const runtimeDir = path.dirname(command.program);
  const flags = command.nodeFlags.includes('--enable-source-maps') ? command.nodeFlags : ['--enable-source-maps', ...command.nodeFlags];
  return {
    type: 'node',
    request: 'launch',
    name: input.name,
    runtimeExecutable: command.node,
    runtimeArgs: flags,
    program: command.program,
    args: command.args,
    cwd: command.cwd,
    env: { ...command.env, ...(input.extraEnv ?? {}) },
    sourceMaps: true,
    outFiles: [path.join(buildDir, '**', '*.js')],
    resolveSourceMapLocations: [path.join(buildDir, '**'), path.join(pluginDir, '**'), '!**/node_modules/**'],
    autoAttachChildProcesses: false,
    skipFiles: ['<node_internals>/**', path.join(runtimeDir, '**')],
    console: 'internalConsole',
    outputCapture: 'std',
    // SIGTERM, not js-debug's default SIGKILL: a worker stopped mid-file finishes that file (and the files it had
    // claimed) instead of dying after a side effect of the step and having the file processed again on recovery.
    killBehavior: 'polite',
    __mfdata: input.marker,
  };
}

/** Reads the marker back from a session's configuration (undefined for sessions that are not ours). */
export function markerOf(configuration: { [key: string]: unknown }): MfdataDebugMarker | undefined {
  const m = configuration.__mfdata as Partial<MfdataDebugMarker> | undefined;
  return m && typeof m.id === 'string' && typeof m.watcher === 'string' && (m.mode === 'queue' || m.mode === 'file') ? (m as MfdataDebugMarker) : undefined;
}

/** Launch-configuration snippets and initial configurations for the `mfdata` debug type. */
export function initialConfigurations(steps: ReadonlyArray<{ plugin: string; step: string }>): MfdataDebugConfiguration[] {
  const first = steps[0] ?? { plugin: 'myplugin', step: 'main' };
  return [
    { type: 'mfdata', request: 'launch', name: `MFDATA: debug ${first.plugin}/${first.step}`, plugin: first.plugin, step: first.step },
    { type: 'mfdata', request: 'launch', name: `MFDATA: debug ${first.plugin}/${first.step} on the current file`, plugin: first.plugin, step: first.step, file: '${file}' },
  ];
}
