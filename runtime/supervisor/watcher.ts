// One watcher: keeps the `numprocesses` processes of a WatcherSpec alive (respawn with backoff),
// recycles them at max_age, stops them gracefully, runs its hooks, and marks it `failed` when it flaps.
import { DEFAULT_BACKOFF, nextAttempt, respawnDelayMs } from './backoff';
import { DEFAULT_FLAPPING, recordExit } from './flapping';
import { runHook } from './hooks';
import { ManagedProcess, type ProcessExit } from './managed-process';
import { lifetimeMs } from './max-age';
import type { ExitInfo, ProcessStatus, RuntimeEvent, WatcherState, WatcherStatus } from './protocol';
import type { WatcherKind, WatcherSpec } from './watcher-spec';
import { findExecutable } from '../util/find-executable';
import { DEFAULT_ROTATION, RotatingFile } from '../log/rotating-file';
import { READY_ENV, READY_LINE, UNANNOUNCED_READY_MS } from '../util/ready';

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export interface WatcherContext {
  /** The supervisor's environment; spec.env is added on top. */
  env: NodeJS.ProcessEnv;
  emit(event: RuntimeEvent): void;
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
  random?: () => number;
}

/** A worker slot: wid is stable, the process in it changes on every respawn or recycle. */
interface Slot {
  wid: number;
  current?: ManagedProcess;
  respawnTimer?: NodeJS.Timeout;
  maxAgeTimer?: NodeJS.Timeout;
  attempt: number;
}

export const REDIS_NOT_FOUND =
  'redis-server not found: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set redis.path';

/** Our own processes announce readiness (runtime/util/ready.ts); redis and extra daemons do not. */
function announcesReady(kind: WatcherKind): boolean {
  return kind !== 'redis' && kind !== 'extra';
}

/** A process that does not announce counts as ready once it has lived UNANNOUNCED_READY_MS. */
function processStatus(proc: ManagedProcess, wid: number, announces: boolean, now: number): ProcessStatus {
  const ready = proc.ready || (!announces && now - proc.startedAt >= UNANNOUNCED_READY_MS);
  return { pid: proc.pid as number, wid, startedAt: proc.startedAt, ready };
}

export class Watcher {
  private specValue: WatcherSpec;
  private stateValue: WatcherState = 'stopped';
  private readonly slots = new Map<number, Slot>();
  /** Processes being stopped on purpose (stop, scale down, recycle, failure): their exits are expected. */
  private readonly stopping = new Set<ManagedProcess>();
  private exitHistory: number[] = [];
  private restarts = 0;
  private lastExit: ExitInfo | undefined;
  private lastError: string | undefined;
  /** True while the processes should be kept alive (running or backoff). */
  private wanted = false;
  private output: RotatingFile | undefined;
  /** Operations (start, stop, scale...) run one after the other. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(spec: WatcherSpec, private readonly ctx: WatcherContext) {
    this.specValue = spec;
  }

  get name(): string {
    return this.specValue.name;
  }

  get spec(): WatcherSpec {
    return this.specValue;
  }

  get state(): WatcherState {
    return this.stateValue;
  }

  /** Every pid the watcher currently runs (current workers plus those being stopped). */
  pids(): number[] {
    const all = [...[...this.slots.values()].map((s) => s.current), ...this.stopping];
    return all.filter((p): p is ManagedProcess => p !== undefined && p.running).map((p) => p.pid as number);
  }

  status(now: number = Date.now()): WatcherStatus {
    const s = this.specValue;
    const processes = [...this.slots.values()]
      .filter((slot) => slot.current?.pid !== undefined && slot.current.running)
      .map((slot) => processStatus(slot.current as ManagedProcess, slot.wid, announcesReady(s.kind), now))
      .sort((a, b) => a.wid - b.wid);
    return {
      name: s.name,
      kind: s.kind,
      ...(s.plugin !== undefined ? { plugin: s.plugin } : {}),
      ...(s.step !== undefined ? { step: s.step } : {}),
      state: this.stateValue,
      numprocesses: s.numprocesses,
      processes,
      restarts: this.restarts,
      ...(this.lastExit ? { lastExit: this.lastExit } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  /** The supervisor's own readiness check passed (redis answered PING): its processes are up. */
  markReady(): void {
    for (const slot of this.slots.values()) if (slot.current) this.setReady(slot.current, slot.wid);
  }

  /** Marks a process up once, and tells the subscribers (the views refresh on it). */
  private setReady(proc: ManagedProcess, wid: number): void {
    if (proc.ready) return;
    proc.ready = true;
    if (proc.pid !== undefined) this.ctx.emit({ event: 'process_ready', watcher: this.name, pid: proc.pid, wid, at: Date.now() });
  }

  /** Starts the processes; clears a `failed` state. No-op when already running. */
  start(): Promise<void> {
    return this.serial(() => this.doStart());
  }

  /** Stops every process gracefully (stop signal, SIGKILL after gracefulTimeout), then runs after_stop. */
  stop(): Promise<void> {
    return this.serial(() => this.doStop('stopped', true));
  }

  restart(): Promise<void> {
    return this.serial(async () => {
      await this.doStop('stopped', true);
      await this.doStart();
    });
  }

  /** Adds or removes processes (highest wids go first) without touching the others. */
  setNumprocesses(n: number): Promise<void> {
    return this.serial(async () => this.doScale(Math.max(0, Math.floor(n))));
  }

  /** The debugger takes over: processes stop and are not respawned until takeBack. */
  handOver(): Promise<void> {
    return this.serial(() => this.doStop('handed_over', false));
  }

  takeBack(): Promise<void> {
    return this.serial(async () => {
      if (this.stateValue === 'handed_over') await this.doStart();
    });
  }

  /**
   * Applies a new spec. `restart`: stop with the old spec, start with the new one (only when the
   * watcher was meant to run: running, backoff or failed). Otherwise the spec is swapped and
   * numprocesses applied in place.
   */
  update(spec: WatcherSpec, restart: boolean): Promise<void> {
    return this.serial(async () => {
      if (spec.logFile !== this.specValue.logFile) {
        this.output?.close();
        this.output = undefined;
      }
      if (restart) {
        const wasActive = this.wanted || this.stateValue === 'failed' || this.stateValue === 'starting';
        if (wasActive) await this.doStop('stopped', true);
        this.specValue = spec;
        if (wasActive) await this.doStart();
      } else {
        const n = spec.numprocesses;
        this.specValue = { ...spec, numprocesses: this.specValue.numprocesses };
        await this.doScale(n);
      }
    });
  }

  /** Marks the watcher failed from outside (readiness never came): its processes are stopped. */
  fail(message: string): Promise<void> {
    return this.serial(async () => {
      this.wanted = false;
      for (const slot of this.slots.values()) this.retire(slot);
      this.slots.clear();
      await this.awaitStopping();
      this.lastError = message;
      this.ctx.log('error', message, { watcher: this.name });
      this.setState('failed', message);
    });
  }

  /** Releases the log file; call after the final stop. */
  dispose(): void {
    this.output?.close();
    this.output = undefined;
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private setState(state: WatcherState, error?: string): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.ctx.emit({ event: 'watcher_state', watcher: this.name, state, at: Date.now(), ...(error !== undefined ? { error } : {}) });
  }

  private processEnv(): NodeJS.ProcessEnv {
    return { ...this.ctx.env, ...this.specValue.env };
  }

  private async doStart(): Promise<void> {
    if (this.wanted) return;
    const spec = this.specValue;
    this.exitHistory = [];
    this.setState('starting');
    if (spec.hooks?.beforeStart) {
      const outcome = await runHook(spec.hooks.beforeStart, { cwd: spec.cwd, env: this.processEnv() });
      if (outcome.kind === 'skip') {
        this.ctx.log('info', 'before_start hook asked to skip the start', { watcher: this.name });
        this.setState('stopped');
        return;
      }
      if (outcome.kind === 'warning') this.ctx.log('warning', outcome.message, { watcher: this.name, hook: 'before_start' });
    }
    const env = this.processEnv();
    const resolved = findExecutable(spec.command, env.PATH, spec.cwd);
    if (!resolved) {
      const message = spec.kind === 'redis'
        ? `${REDIS_NOT_FOUND} (looked for '${spec.command}')`
        : `command not found: '${spec.command}' (watcher ${this.name}): check the command in the configuration and PATH`;
      this.lastError = message;
      this.ctx.log('error', message, { watcher: this.name });
      this.setState('failed', message);
      return;
    }
    this.wanted = true;
    for (let wid = 1; wid <= spec.numprocesses; wid++) {
      const slot: Slot = { wid, attempt: 0 };
      this.slots.set(wid, slot);
      this.spawnInto(slot);
    }
    this.refreshState();
  }

  private async doStop(finalState: 'stopped' | 'handed_over', runAfterStop: boolean): Promise<void> {
    const wasActive = this.wanted || this.stopping.size > 0;
    this.wanted = false;
    for (const slot of this.slots.values()) this.retire(slot);
    this.slots.clear();
    if (this.stopping.size > 0) {
      this.setState('stopping');
      await this.awaitStopping();
    }
    const afterStop = this.specValue.hooks?.afterStop;
    if (runAfterStop && wasActive && afterStop) {
      const outcome = await runHook(afterStop, { cwd: this.specValue.cwd, env: this.processEnv() });
      if (outcome.kind === 'warning') this.ctx.log('warning', outcome.message, { watcher: this.name, hook: 'after_stop' });
    }
    this.setState(finalState);
  }

  private async doScale(n: number): Promise<void> {
    const from = this.specValue.numprocesses;
    this.specValue = { ...this.specValue, numprocesses: n };
    if (!this.wanted || n === from) return;
    for (let wid = 1; wid <= n; wid++) {
      if (this.slots.has(wid)) continue;
      const slot: Slot = { wid, attempt: 0 };
      this.slots.set(wid, slot);
      this.spawnInto(slot);
    }
    const removed: Slot[] = [...this.slots.values()].filter((s) => s.wid > n);
    for (const slot of removed) {
      this.slots.delete(slot.wid);
      this.retire(slot);
    }
    this.refreshState();
    await this.awaitStopping();
  }

  /** Moves the slot's process (if any) to `stopping`, stops it, and cancels the slot's timers. */
  private retire(slot: Slot): void {
    clearTimeout(slot.respawnTimer);
    clearTimeout(slot.maxAgeTimer);
    slot.respawnTimer = undefined;
    slot.maxAgeTimer = undefined;
    const proc = slot.current;
    slot.current = undefined;
    if (proc && proc.running) this.stopProcess(proc);
  }

  private stopProcess(proc: ManagedProcess): void {
    this.stopping.add(proc);
    void proc.stop(this.specValue.stopSignal, this.specValue.gracefulTimeout);
  }

  private async awaitStopping(): Promise<void> {
    while (this.stopping.size > 0) {
      await Promise.all([...this.stopping].map((p) => p.exited));
      // The exit handler runs on the same promise; give it a turn to remove the processes.
      await new Promise((r) => setImmediate(r));
    }
  }

  private spawnInto(slot: Slot): void {
    const spec = this.specValue;
    const proc: ManagedProcess = ManagedProcess.spawn({
      command: findExecutable(spec.command, this.processEnv().PATH, spec.cwd) ?? spec.command,
      args: spec.args,
      cwd: spec.cwd,
      // MFDATA_WID: the worker id (circus `$(circus.wid)`), stable across respawns.
      env: { ...this.processEnv(), MFDATA_WATCHER: this.name, MFDATA_WID: String(slot.wid), [READY_ENV]: '1' },
      onLine: (stream, line) => {
        // The readiness line of our own processes is a signal, not output.
        if (stream === 'stdout' && line === READY_LINE && !proc.ready) {
          this.setReady(proc, slot.wid);
          return;
        }
        this.writeOutput(line);
      },
    });
    slot.current = proc;
    if (proc.pid !== undefined) {
      this.ctx.emit({ event: 'process_spawn', watcher: this.name, pid: proc.pid, wid: slot.wid, at: proc.startedAt });
      // One that does not announce is up once it lived UNANNOUNCED_READY_MS: said then, so views need not poll.
      if (!announcesReady(spec.kind)) {
        setTimeout(() => { if (slot.current === proc && proc.running) this.setReady(proc, slot.wid); }, UNANNOUNCED_READY_MS).unref();
      }
    }
    const lifetime = lifetimeMs(spec.maxAge, spec.maxAgeVariance, this.ctx.random);
    if (lifetime !== undefined) slot.maxAgeTimer = setTimeout(() => this.recycle(slot, proc), lifetime);
    void proc.exited.then((info) => this.onExit(slot, proc, info));
  }

  /** max_age reached: the replacement starts first, then the old process is stopped. */
  private recycle(slot: Slot, proc: ManagedProcess): void {
    if (!this.wanted || slot.current !== proc || this.slots.get(slot.wid) !== slot) return;
    this.ctx.log('info', 'max_age reached: recycling the process', { watcher: this.name, child_pid: proc.pid, wid: slot.wid });
    this.spawnInto(slot);
    this.stopProcess(proc);
  }

  private onExit(slot: Slot, proc: ManagedProcess, info: ProcessExit): void {
    proc.killGroupRemains();
    if (proc.pid !== undefined) {
      this.ctx.emit({ event: 'process_exit', watcher: this.name, pid: proc.pid, wid: slot.wid, code: info.code, signal: info.signal, at: info.at });
    }
    if (this.stopping.delete(proc)) return;
    if (slot.current !== proc) return;
    slot.current = undefined;
    clearTimeout(slot.maxAgeTimer);
    slot.maxAgeTimer = undefined;
    if (!this.wanted || this.slots.get(slot.wid) !== slot) return;

    // An exit nobody asked for: count it, then respawn or give up.
    this.lastExit = { code: info.code, signal: info.signal, at: info.at };
    this.lastError = info.spawnError ?? proc.lastStderrLine ?? describeExit(info);
    this.ctx.log('warning', 'process exited unexpectedly', { watcher: this.name, child_pid: proc.pid, wid: slot.wid, code: info.code, signal: info.signal, error: this.lastError });
    const policy = this.specValue.flapping ?? DEFAULT_FLAPPING;
    const verdict = recordExit(this.exitHistory, info.at, policy);
    this.exitHistory = verdict.history;
    if (verdict.flapping) {
      this.markFailed(verdict.history.length, policy.windowSeconds);
      return;
    }
    slot.attempt = nextAttempt(slot.attempt, info.at - proc.startedAt);
    const delay = respawnDelayMs(Math.max(0, slot.attempt - 1), this.specValue.backoff ?? DEFAULT_BACKOFF);
    slot.respawnTimer = setTimeout(() => {
      slot.respawnTimer = undefined;
      if (!this.wanted || this.slots.get(slot.wid) !== slot) return;
      this.restarts++;
      this.spawnInto(slot);
      this.refreshState();
    }, delay);
    this.refreshState();
  }

  /** Flapping: stop what is left of this watcher (other watchers are not touched) and stay `failed`. */
  private markFailed(exits: number, windowSeconds: number): void {
    this.wanted = false;
    for (const slot of this.slots.values()) this.retire(slot);
    this.slots.clear();
    const error = this.lastError;
    this.ctx.log('error', 'watcher is flapping: marked failed', { watcher: this.name, exits, windowSeconds, error });
    this.ctx.emit({ event: 'flapping', watcher: this.name, exits, windowSeconds, at: Date.now(), ...(error !== undefined ? { error } : {}) });
    this.setState('failed', error);
  }

  private refreshState(): void {
    if (!this.wanted) return;
    const waiting = [...this.slots.values()].some((s) => s.respawnTimer !== undefined);
    this.setState(waiting ? 'backoff' : 'running');
  }

  private writeOutput(line: string): void {
    try {
      this.output ??= new RotatingFile(this.specValue.logFile, this.specValue.logRotation ?? DEFAULT_ROTATION);
      this.output.write(`${line}\n`);
    } catch (err) {
      this.ctx.log('error', 'cannot write the watcher log file', { watcher: this.name, file: this.specValue.logFile, error: String(err) });
    }
  }
}

function describeExit(info: ProcessExit): string {
  if (info.signal) return `killed by ${info.signal}`;
  return `exited with code ${info.code ?? 'unknown'}`;
}
