// The supervisor: every watcher of one runtime home, started in priority order (waiting for redis),
// stopped in reverse, reloaded by difference, and driven by control-socket requests.
import * as path from 'node:path';
import { diffConfigs } from './config-diff';
import type { Request, RuntimeEvent, RuntimeStatus } from './protocol';
import { waitForRedis } from './redis-ping';
import { startGroups, stopGroups } from './order';
import { Watcher, type LogLevel } from './watcher';
import type { SupervisorConfig, WatcherSpec } from './watcher-spec';
import { RUNTIME_VERSION } from '../version';

/** A request the supervisor cannot honour (unknown watcher, bad value): reported to the client, nothing changes. */
export class ControlRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlRequestError';
  }
}

export interface SupervisorOptions {
  home: string;
  env: NodeJS.ProcessEnv;
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
  /** Reads `<home>/tmp/config_auto/watchers.json`; throws with a message naming the file when it cannot. */
  loadConfig(): SupervisorConfig;
  /** Called with the runtime state on every change (the status file follows it). */
  onState?(state: RuntimeStatus['state']): void;
  /** Once the runtime's own Redis answers at start, before the watchers that use it (resets the step stats totals). */
  onRedisReady?(socket: string): Promise<void>;
}

export interface ReloadResult {
  added: string[];
  removed: string[];
  changed: string[];
  rescaled: string[];
}

const DEFAULT_READY_TIMEOUT_S = 15;

type Phase = 'starting' | 'up' | 'stopping';

export class Supervisor {
  private readonly watchers = new Map<string, Watcher>();
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();
  private phase: Phase = 'starting';
  private lastState: RuntimeStatus['state'] | undefined;
  private configError: string | undefined;
  readonly startedAt = Date.now();
  /** startAll, stopAll and reload run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: SupervisorOptions) {}

  subscribe(listener: (event: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get state(): RuntimeStatus['state'] {
    if (this.phase !== 'up') return this.phase;
    return [...this.watchers.values()].some((w) => w.state === 'failed') ? 'degraded' : 'running';
  }

  status(): RuntimeStatus {
    return {
      home: this.opts.home,
      pid: process.pid,
      version: RUNTIME_VERSION,
      startedAt: this.startedAt,
      state: this.state,
      watchers: [...this.watchers.values()].map((w) => w.status()),
      ...(this.configError !== undefined ? { configError: this.configError } : {}),
    };
  }

  /** Loads the configuration and starts the autostart watchers, one priority group after the other. */
  startAll(): Promise<void> {
    return this.serial(async () => {
      this.emitState();
      const config = this.opts.loadConfig();
      for (const spec of config.watchers) this.watchers.set(spec.name, this.makeWatcher(spec));
      await this.startInOrder(config.watchers.filter((s) => s.autostart));
      this.phase = 'up';
      this.emitState();
    });
  }

  /** Stops every watcher, highest priority first (redis last). */
  stopAll(): Promise<void> {
    return this.serial(async () => {
      this.phase = 'stopping';
      this.emitState();
      for (const group of stopGroups([...this.watchers.values()].map((w) => ({ name: w.name, priority: w.spec.priority, w })))) {
        await Promise.all(group.map((g) => g.w.stop()));
      }
      for (const w of this.watchers.values()) w.dispose();
    });
  }

  /** Re-reads the configuration and applies only the difference. */
  reload(): Promise<ReloadResult> {
    return this.serial(async () => {
      let next: SupervisorConfig;
      try {
        next = this.opts.loadConfig();
      } catch (err) {
        const error = `reload refused, the running setup is kept: ${err instanceof Error ? err.message : String(err)}`;
        this.opts.log('error', error);
        this.emit({ event: 'config_error', error, at: Date.now() });
        throw new ControlRequestError(error);
      }
      const current: SupervisorConfig = { home: this.opts.home, watchers: [...this.watchers.values()].map((w) => w.spec) };
      const diff = diffConfigs(current, next);
      const byName = new Map(next.watchers.map((s) => [s.name, s]));
      for (const group of stopGroups(diff.removed.map((name) => this.watchers.get(name) as Watcher).map((w) => ({ name: w.name, priority: w.spec.priority, w })))) {
        await Promise.all(group.map(async (g) => {
          await g.w.stop();
          g.w.dispose();
          this.watchers.delete(g.name);
        }));
      }
      for (const spec of diff.changed) await this.get(spec.name).update(spec, true);
      for (const name of [...diff.rescaled.map((r) => r.name), ...diff.unchanged]) {
        await this.get(name).update(byName.get(name) as WatcherSpec, false);
      }
      for (const spec of diff.added) this.watchers.set(spec.name, this.makeWatcher(spec));
      await this.startInOrder(diff.added.filter((s) => s.autostart));
      const result: ReloadResult = {
        added: diff.added.map((s) => s.name),
        removed: diff.removed,
        changed: diff.changed.map((s) => s.name),
        rescaled: diff.rescaled.map((r) => r.name),
      };
      this.configError = undefined;
      this.opts.log('info', 'configuration reloaded', { ...result });
      this.emit({ event: 'config_reloaded', added: result.added, removed: result.removed, changed: result.changed, at: Date.now() });
      return result;
    });
  }

  /** Every request but subscribe (which the control server handles itself). */
  async handle(req: Request): Promise<unknown> {
    switch (req.cmd) {
      case 'status': return this.status();
      case 'start': await this.notHandedOver(req).start(); return this.get(req.watcher).status();
      case 'stop': await this.get(req.watcher).stop(); return this.get(req.watcher).status();
      case 'restart': await this.notHandedOver(req).restart(); return this.get(req.watcher).status();
      case 'incr':
      case 'decr': {
        const w = this.notHandedOver(req);
        const step = req.count ?? 1;
        if (!Number.isInteger(step) || step < 1) throw new ControlRequestError(`count must be a positive integer, got ${String(req.count)}`);
        await w.setNumprocesses(Math.max(0, w.spec.numprocesses + (req.cmd === 'incr' ? step : -step)));
        return w.status();
      }
      case 'set_numprocesses': {
        if (!Number.isInteger(req.value) || req.value < 0) throw new ControlRequestError(`value must be an integer >= 0, got ${String(req.value)}`);
        await this.notHandedOver(req).setNumprocesses(req.value);
        return this.get(req.watcher).status();
      }
      case 'reload': return this.reload();
      case 'hand_over': await this.get(req.watcher).handOver(); return this.get(req.watcher).status();
      case 'take_back': await this.get(req.watcher).takeBack(); return this.get(req.watcher).status();
      case 'report_config_error':
        this.configError = String(req.error);
        this.opts.log('error', 'configuration error: the running setup is kept', { error: this.configError });
        this.emit({ event: 'config_error', error: this.configError, at: Date.now() });
        return undefined;
      case 'clear_config_error':
        this.configError = undefined;
        return undefined;
      case 'shutdown':
      case 'subscribe':
        throw new ControlRequestError(`'${req.cmd}' is handled by the control server`);
    }
  }

  /**
   * The watcher of a request that would start its processes: refused while the step debugger has its queue (its
   * workers would run beside the debug worker, and the hand-over would end unseen). A reload still records a new
   * numprocesses (Watcher.setNumprocesses starts nothing while handed over).
   */
  private notHandedOver(req: { cmd: string; watcher: string }): Watcher {
    const w = this.get(req.watcher);
    if (w.state === 'handed_over') {
      throw new ControlRequestError(`${req.watcher} is handed over to the step debugger: '${req.cmd}' is refused until the debug session ends (stop it, or take the step back)`);
    }
    return w;
  }

  private get(name: string): Watcher {
    const w = this.watchers.get(name);
    if (!w) throw new ControlRequestError(`unknown watcher '${name}' (known: ${[...this.watchers.keys()].join(', ') || 'none'})`);
    return w;
  }

  private async startInOrder(specs: WatcherSpec[]): Promise<void> {
    for (const group of startGroups(specs)) {
      await Promise.all(group.map((s) => this.get(s.name).start()));
      for (const spec of group) {
        if (!(await this.waitReady(this.get(spec.name)))) {
          this.opts.log('error', 'not starting the remaining watchers: a watcher they depend on is not ready', { watcher: spec.name });
          return;
        }
      }
    }
  }

  /** For watchers with a readiness check (redis): true once ready; marks the watcher failed otherwise. */
  private async waitReady(w: Watcher): Promise<boolean> {
    const spec = w.spec;
    const socket = spec.ready?.redisPing ?? (spec.kind === 'redis' ? path.join(this.opts.home, 'var', 'redis.sock') : undefined);
    if (socket === undefined) return true;
    const gone = (): boolean => w.state === 'failed' || w.state === 'stopped';
    if (gone()) return false;
    const timeoutS = spec.ready?.timeoutSeconds ?? DEFAULT_READY_TIMEOUT_S;
    const ok = await waitForRedis(socket, timeoutS * 1000, gone);
    if (ok) w.markReady();
    if (ok && this.phase === 'starting') await this.opts.onRedisReady?.(socket);
    if (ok) return true;
    if (!gone()) {
      const last = w.status().lastError;
      await w.fail(`${w.name} did not answer PING on ${socket} within ${timeoutS} s${last ? `: ${last}` : ''} (see ${spec.logFile})`);
    }
    return false;
  }

  private makeWatcher(spec: WatcherSpec): Watcher {
    return new Watcher(spec, {
      env: this.opts.env,
      emit: (e) => this.emit(e),
      log: (level, event, fields) => this.opts.log(level, event, fields),
    });
  }

  private emit(event: RuntimeEvent): void {
    for (const l of this.listeners) l(event);
    if (event.event === 'watcher_state') this.emitState();
  }

  private emitState(): void {
    const state = this.state;
    if (state === this.lastState) return;
    this.lastState = state;
    this.opts.onState?.(state);
    for (const l of this.listeners) l({ event: 'runtime_state', state, at: Date.now() });
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
