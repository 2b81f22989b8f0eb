// conf_monitor's engine: watches the plugin configs, mfdata.ini, overrides and step code; after a quiet
// period it regenerates config_auto and asks the supervisor to reload, or restarts the watchers whose code changed.
// A broken configuration is reported (log + config_error event) and the running setup is kept.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { classifyChange, isNoise, planChanges, type Change, type WatchedRoots } from './classify';
import { readSupervisorConfig } from '../supervisor/config-file';
import { controlRequest } from '../supervisor/control-client';
import type { ReloadResult } from '../supervisor/supervisor';
import { regenerateConfigAuto } from '../supervisor/regenerate';
import type { WatcherSpec } from '../supervisor/watcher-spec';
import { runtimeHome, type RuntimeHome } from '../home';
import type { LogFields } from '../log/mflog';

export const DEBOUNCE_MS = 300;

export interface MonitorLog {
  (level: 'debug' | 'info' | 'warning' | 'error', event: string, fields?: LogFields): void;
}

export interface ConfMonitorOptions {
  workspace: string;
  home: string;
  env: NodeJS.ProcessEnv;
  log: MonitorLog;
  debounceMs?: number;
}

export class ConfMonitor {
  private readonly home: RuntimeHome;
  private readonly roots: WatchedRoots;
  private watcher: FSWatcher | undefined;
  private pending: { file: string; isDir: boolean }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private reportedError = false;

  constructor(private readonly opts: ConfMonitorOptions) {
    this.home = runtimeHome(opts.home);
    const workspace = path.resolve(opts.workspace);
    this.roots = {
      moduleConfig: path.join(workspace, 'mfdata.ini'),
      pluginRoots: [path.join(workspace, 'plugins'), this.home.installedPluginsDir],
      overridesDir: path.join(this.home.configDir, 'plugins'),
    };
  }

  /** Resolves once the initial scan is done (changes after that are seen). */
  async start(): Promise<void> {
    fs.mkdirSync(this.home.installedPluginsDir, { recursive: true });
    fs.mkdirSync(this.roots.overridesDir, { recursive: true });
    const workspace = path.resolve(this.opts.workspace);
    const wsPlugins = this.roots.pluginRoots[0];
    // The workspace itself is watched only for mfdata.ini and plugins/ (the home may live inside it).
    const relevant = (p: string): boolean => {
      const abs = path.resolve(p);
      if (abs === workspace || abs === this.roots.moduleConfig) return true;
      if (abs === wsPlugins || abs.startsWith(wsPlugins + path.sep)) return !abs.split(path.sep).some((s) => s === 'node_modules' || s === '.git');
      return abs.startsWith(this.home.installedPluginsDir) || abs.startsWith(this.roots.overridesDir);
    };
    this.watcher = watch([workspace, this.home.installedPluginsDir, this.roots.overridesDir], {
      ignoreInitial: true,
      ignored: (p: string) => !relevant(p) || (isNoise(p) && path.resolve(p) !== workspace),
    });
    for (const event of ['add', 'change', 'unlink'] as const) this.watcher.on(event, (p: string) => this.queue(p, false));
    for (const event of ['addDir', 'unlinkDir'] as const) this.watcher.on(event, (p: string) => this.queue(p, true));
    this.watcher.on('error', (err) => this.opts.log('error', 'file watching failed', { error: String(err) }));
    await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
    this.opts.log('info', 'conf_monitor watching', { workspace, home: this.home.root });
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.watcher?.close();
    await this.running;
  }

  private queue(file: string, isDir: boolean): void {
    this.pending.push({ file, isDir });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const batch = this.pending;
      this.pending = [];
      this.running = this.running.then(() => this.apply(batch)).catch((err: unknown) => {
        this.opts.log('error', 'conf_monitor could not apply a change', { error: err instanceof Error ? err.message : String(err) });
      });
    }, this.opts.debounceMs ?? DEBOUNCE_MS);
  }

  private specs(): WatcherSpec[] {
    try {
      return readSupervisorConfig(path.join(this.home.configAutoDir, 'watchers.json')).watchers;
    } catch {
      return [];
    }
  }

  private async apply(batch: { file: string; isDir: boolean }[]): Promise<void> {
    const specs = this.specs();
    const changes: Change[] = batch.map((b) => classifyChange(b.file, b.isDir, this.roots, specs));
    const plan = planChanges(changes);
    if (!plan.regenerate && plan.restart.length === 0) return;
    this.opts.log('info', 'change detected', { files: plan.files });
    const handledByReload = new Set<string>();
    if (plan.regenerate) {
      const result = regenerateConfigAuto(this.opts.workspace, this.home.root, this.opts.env);
      for (const w of result.warnings) this.opts.log('warning', w);
      if (result.errors.length > 0) {
        const error = result.errors.join('\n');
        this.opts.log('error', 'configuration error: the running setup is kept', { errors: result.errors });
        await this.request({ cmd: 'report_config_error', error });
        this.reportedError = true;
      } else {
        if (this.reportedError) {
          await this.request({ cmd: 'clear_config_error' });
          this.reportedError = false;
        }
        if (result.changed.length > 0) {
          const reload = (await this.request({ cmd: 'reload' })) as ReloadResult | undefined;
          this.opts.log('info', 'supervisor reloaded', { files: result.changed, ...(reload ?? {}) });
          // Restarted, started, or gone with the reload (a plugin removed): none needs a code restart now.
          for (const name of [...(reload?.changed ?? []), ...(reload?.added ?? []), ...(reload?.removed ?? [])]) handledByReload.add(name);
        }
      }
    }
    // Step code is not part of the generated configuration: restart the watchers that run it.
    for (const name of plan.restart) {
      if (handledByReload.has(name)) continue;
      this.opts.log('info', 'code changed: restarting the watcher', { watcher: name });
      try {
        await controlRequest(this.home.supervisorSocket, { cmd: 'restart', watcher: name });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // A step under the debugger runs its new code in the next debug session: nothing is wrong.
        if (message.includes('handed over to the step debugger')) this.opts.log('info', 'code changed in a step being debugged: it runs from the next debug session', { watcher: name });
        else this.opts.log('error', "supervisor request 'restart' failed", { error: message });
      }
    }
  }

  private async request(body: Parameters<typeof controlRequest>[1]): Promise<unknown> {
    try {
      return await controlRequest(this.home.supervisorSocket, body);
    } catch (err) {
      this.opts.log('error', `supervisor request '${body.cmd}' failed`, { error: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  }
}
