// The step debugger's lifecycle: "Debug step" hands the step over (its supervised workers stop after their current
// file) and launches one worker under js-debug on the step's real queue, then takes the step back when the session
// ends; "Debug step on this file" launches a one-shot run and reads its report when the session ends.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { liveStepWorkers } from '../../runtime/debug/live-workers';
import { isOneShotReport, summarizeReport, type OneShotReport } from '../../runtime/debug/report';
import { stepTmpDir } from '../../runtime/home';
import type { SupervisorConfig } from '../../runtime/supervisor/watcher-spec';
import { findExecutable, type RuntimeLauncher } from '../runtime/launcher';
import type { RuntimeMonitor } from '../services/runtimeMonitor';
import type { RuntimeWorkspace } from '../services/workspace';
import { orphanedHandOvers, removeLease, writeLease } from './leases';
import {
  DebugConfigurationError, markerOf, nodeLaunchConfiguration, oneShotWorkerCommand, workerCommandFromSpec,
  type MfdataDebugConfiguration, type MfdataDebugMarker, type NodeLaunchConfiguration,
} from './launchConfig';

/** Seconds a prepared launch may take to become a session before the step is taken back. */
const START_TIMEOUT_MS = 60_000;

export interface FileRunResult {
  marker: MfdataDebugMarker;
  report?: OneShotReport;
  /** Why there is no report (the session ended before the run wrote one). */
  error?: string;
}

interface Tracked {
  marker: MfdataDebugMarker;
  started: boolean;
  timer?: NodeJS.Timeout;
}

export interface StepDebuggerDeps {
  workspace: RuntimeWorkspace;
  launcher: RuntimeLauncher;
  monitor: RuntimeMonitor;
  log: vscode.LogOutputChannel;
  /** `<extension>/dist/runtime`: the bundled worker for debug-mode runs. */
  runtimeDir: string;
}

export class StepDebugger implements vscode.Disposable {
  private readonly tracked = new Map<string, Tracked>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a step starts or stops being debugged in this window. */
  readonly onDidChange = this.changed.event;
  private readonly fileRunDone = new vscode.EventEmitter<FileRunResult>();
  /** Fires when a "Debug step on this file" session has ended, with the run's report. */
  readonly onDidFinishFileRun = this.fileRunDone.event;
  private readonly takenBack = new vscode.EventEmitter<string>();
  /** Fires with the watcher name once a debugged step is back with its supervised workers. */
  readonly onDidTakeBack = this.takenBack.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly deps: StepDebuggerDeps) {
    this.subscriptions.push(
      vscode.debug.onDidStartDebugSession((s) => this.sessionStarted(s)),
      vscode.debug.onDidTerminateDebugSession((s) => void this.sessionEnded(s)),
      deps.monitor.onDidChangeStatus(() => void this.reclaimOrphans()),
    );
  }

  /** Step watchers debugged from this window (queue mode). */
  debuggingWatchers(): ReadonlySet<string> {
    return new Set([...this.tracked.values()].filter((t) => t.marker.mode === 'queue').map((t) => t.marker.watcher));
  }

  /**
   * Starts the js-debug session of an `mfdata` configuration (handing the step over first in queue mode). The
   * node launch goes through VS Code's own resolution of the `node` type, as Dapr's debug provider does.
   */
  async launch(config: MfdataDebugConfiguration, folder = this.deps.workspace.folder): Promise<{ marker: MfdataDebugMarker; started: boolean }> {
    const launch = await this.prepare(config);
    let started = false;
    try {
      started = await vscode.debug.startDebugging(folder, launch as unknown as vscode.DebugConfiguration);
    } finally {
      if (!started) await this.finish(launch.__mfdata, 'the debug session did not start');
    }
    return { marker: launch.__mfdata, started };
  }

  /** Resolves an `mfdata` configuration into the node launch, handing the step over first in queue mode. */
  async prepare(config: MfdataDebugConfiguration): Promise<NodeLaunchConfiguration> {
    const home = this.deps.workspace.home();
    if (!home || !this.deps.workspace.root) throw new DebugConfigurationError('MFDATA debugging needs a folder open on the local file system.');
    if (!config.plugin || !config.step) throw new DebugConfigurationError("an 'mfdata' debug configuration needs \"plugin\" and \"step\"");
    if (config.file) return this.prepareFile(config, config.plugin, config.step, config.file);
    return this.prepareQueue(config, config.plugin, config.step);
  }

  private async prepareQueue(config: MfdataDebugConfiguration, plugin: string, step: string): Promise<NodeLaunchConfiguration> {
    const home = this.deps.workspace.home()!;
    const watcher = `step.${plugin}.${step}`;
    const status = this.deps.monitor.status ?? (await this.deps.monitor.client.refresh());
    if (!status) throw new DebugConfigurationError(`The MFDATA runtime is not running: start it (MFDATA: Start Runtime or mfdata start) to debug ${plugin}/${step} on its queue, or use "Debug Step on This File".`);
    const w = status.watchers.find((x) => x.name === watcher);
    if (!w) throw new DebugConfigurationError(`The runtime has no step ${plugin}/${step} (watcher ${watcher}); is the plugin's config.ini valid and the runtime reloaded?`);
    if (this.debuggingWatchers().has(watcher)) throw new DebugConfigurationError(`${plugin}/${step} is already being debugged in this window.`);
    if (w.state === 'handed_over') throw new DebugConfigurationError(`${plugin}/${step} is already handed over to a debugger (another window?).`);
    const file = path.join(home.configAutoDir, 'watchers.json');
    let spec;
    try {
      spec = (JSON.parse(fs.readFileSync(file, 'utf8')) as SupervisorConfig).watchers.find((s) => s.name === watcher);
    } catch (err) {
      throw new DebugConfigurationError(`cannot read ${file}: ${(err as Error).message}`);
    }
    if (!spec) throw new DebugConfigurationError(`${file} has no watcher ${watcher}: reload the runtime`);
    const command = workerCommandFromSpec(spec);
    const marker: MfdataDebugMarker = { id: randomBytes(8).toString('hex'), mode: 'queue', plugin, step, watcher, gracefulTimeout: spec.gracefulTimeout };
    // The lease first: another window seeing the step handed over must find who holds it.
    writeLease(home.varDir, watcher);
    try {
      await this.deps.monitor.client.request({ cmd: 'hand_over', watcher });
    } catch (err) {
      removeLease(home.varDir, watcher);
      throw new DebugConfigurationError(`the supervisor did not hand ${watcher} over: ${(err as Error).message}`);
    }
    this.deps.log.info(`${watcher}: handed over to the debugger (session ${marker.id})`);
    this.track(marker);
    return nodeLaunchConfiguration({
      name: config.name || `MFDATA: ${plugin}/${step}`, command, home: home.root, pluginDir: spec.cwd, marker,
      extraEnv: { MFDATA_DEBUG_UNCAUGHT: '1' },
    });
  }

  private prepareFile(config: MfdataDebugConfiguration, plugin: string, step: string, file: string): NodeLaunchConfiguration {
    const home = this.deps.workspace.home()!;
    const root = this.deps.workspace.root!;
    const source = path.resolve(root, file);
    if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new DebugConfigurationError(`"file": ${source} is not a file`);
    const id = randomBytes(8).toString('hex');
    const report = path.join(home.tmpDir, 'debug', id, 'report.json');
    const pluginConfig = this.deps.workspace.pluginConfig(plugin);
    const pluginDir = pluginConfig ? path.dirname(pluginConfig) : root;
    const configured = this.deps.launcher.nodeExecutable();
    const node = findExecutable(configured) ?? configured;
    const command = oneShotWorkerCommand({ node, runtimeDir: this.deps.runtimeDir, home: home.root, plugin, step, file: source, report, workspace: root, cwd: pluginDir });
    const marker: MfdataDebugMarker = { id, mode: 'file', plugin, step, watcher: `step.${plugin}.${step}`, report };
    this.track(marker);
    return nodeLaunchConfiguration({ name: config.name || `MFDATA: ${plugin}/${step} on ${path.basename(source)}`, command, home: home.root, pluginDir, marker });
  }

  private track(marker: MfdataDebugMarker): void {
    const t: Tracked = { marker, started: false };
    // A launch that never becomes a session (js-debug missing, node not found): do not keep the step handed over.
    t.timer = setTimeout(() => {
      if (!t.started) void this.finish(marker, 'the debug session did not start');
    }, START_TIMEOUT_MS);
    this.tracked.set(marker.id, t);
    this.changed.fire();
  }

  private sessionStarted(session: vscode.DebugSession): void {
    const marker = markerOf(session.configuration);
    const t = marker && this.tracked.get(marker.id);
    if (!t) return;
    t.started = true;
    clearTimeout(t.timer);
  }

  private async sessionEnded(session: vscode.DebugSession): Promise<void> {
    const marker = markerOf(session.configuration);
    if (marker) await this.finish(marker);
  }

  /** Ends the tracking of one launch (once, whichever of js-debug's sessions ends first). */
  private async finish(marker: MfdataDebugMarker, error?: string): Promise<void> {
    const t = this.tracked.get(marker.id);
    if (!t) return;
    clearTimeout(t.timer);
    this.tracked.delete(marker.id);
    if (marker.mode === 'queue') {
      await this.stopDebugWorker(marker);
      await this.takeBack(marker.watcher);
    }
    else this.reportFileRun(marker, error);
    this.changed.fire();
  }

  /**
   * The session ended: the debug worker (the only registered worker of a handed-over step) gets SIGTERM, finishes
   * the files it holds and exits; after the watcher's graceful_timeout it is killed (its claims are then recovered
   * by the supervised workers). Only then is the step taken back, so no two workers ever hold one file.
   */
  private async stopDebugWorker(marker: MfdataDebugMarker): Promise<void> {
    const home = this.deps.workspace.home();
    if (!home) return;
    const tmp = stepTmpDir(home, marker.plugin, marker.step);
    const signal = (pids: number[], sig: NodeJS.Signals): void => {
      for (const pid of pids) {
        try {
          process.kill(pid, sig);
        } catch {
          // Already gone.
        }
      }
    };
    signal(liveStepWorkers(tmp), 'SIGTERM');
    const deadline = Date.now() + Math.max(1, marker.gracefulTimeout ?? 30) * 1000;
    let pids = liveStepWorkers(tmp);
    while (pids.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      pids = liveStepWorkers(tmp);
    }
    if (pids.length > 0) {
      this.deps.log.warn(`${marker.watcher}: the debug worker (pid ${pids.join(', ')}) did not finish within ${marker.gracefulTimeout ?? 30} s: killed; its files go back to the queue`);
      signal(pids, 'SIGKILL');
    }
  }

  private async takeBack(watcher: string): Promise<void> {
    const home = this.deps.workspace.home();
    try {
      await this.deps.monitor.client.request({ cmd: 'take_back', watcher });
      this.deps.log.info(`${watcher}: taken back by its supervised workers`);
      this.takenBack.fire(watcher);
    } catch (err) {
      // The runtime may have stopped meanwhile: nothing to take back then.
      this.deps.log.warn(`${watcher}: take_back failed: ${(err as Error).message}`);
    } finally {
      if (home) removeLease(home.varDir, watcher);
      await this.deps.monitor.client.refresh().catch(() => undefined);
    }
  }

  private reportFileRun(marker: MfdataDebugMarker, error?: string): void {
    let result: FileRunResult = { marker, error: error ?? 'the run ended without writing its report (stopped before the step finished?)' };
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(marker.report!, 'utf8'));
      if (isOneShotReport(parsed)) result = { marker, report: parsed };
    } catch {
      // No report: the session was stopped first; result says so.
    }
    this.fileRunDone.fire(result);
    if (!result.report) {
      void vscode.window.showWarningMessage(`MFDATA: ${marker.plugin}/${marker.step}: ${result.error}`);
      return;
    }
    const summary = summarizeReport(result.report);
    this.deps.log.info(`debug run: ${summary}`);
    const show = result.report.outcome === 'success' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(`MFDATA: ${summary}`, 'Open Report').then((choice) => {
      if (choice) void vscode.window.showTextDocument(vscode.Uri.file(marker.report!));
    });
  }

  /** A step handed over by a window that is gone: given back to its supervised workers. */
  private async reclaimOrphans(): Promise<void> {
    const status = this.deps.monitor.status;
    const home = this.deps.workspace.home();
    if (!status || !home) return;
    const mine = this.debuggingWatchers();
    for (const watcher of orphanedHandOvers(status, home.varDir).filter((w) => !mine.has(w))) {
      this.deps.log.warn(`${watcher}: handed over with no debug session alive: taking it back`);
      await this.takeBack(watcher);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    // A window closing mid-session: give the steps back now rather than on the next window's visit.
    for (const t of this.tracked.values()) {
      clearTimeout(t.timer);
      if (t.marker.mode === 'queue') void this.deps.monitor.client.request({ cmd: 'take_back', watcher: t.marker.watcher }).catch(() => undefined);
    }
    this.tracked.clear();
    this.changed.dispose();
    this.fileRunDone.dispose();
    this.takenBack.dispose();
  }
}
