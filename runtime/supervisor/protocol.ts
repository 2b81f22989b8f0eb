// The control socket's protocol (`<home>/var/supervisor.sock`, mode 0600): one JSON object per line.
// Shared by the supervisor, the CLI and the extension. Documented in docs/CONTROL-PROTOCOL.md.

export type WatcherState = 'stopped' | 'starting' | 'running' | 'stopping' | 'backoff' | 'failed' | 'handed_over';

export interface ProcessStatus {
  pid: number;
  /** Worker id, 1-based, stable across respawns (circus `wid`). */
  wid: number;
  /** Unix milliseconds. */
  startedAt: number;
  /**
   * True once the process is up: our own processes (workers, observer, conf_monitor, …) when they announced it
   * (runtime/util/ready.ts), redis and extra daemons once they lived 700 ms.
   */
  ready?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** Unix milliseconds. */
  at: number;
}

export interface WatcherStatus {
  name: string;
  kind: string;
  plugin?: string;
  step?: string;
  state: WatcherState;
  numprocesses: number;
  processes: ProcessStatus[];
  restarts: number;
  lastExit?: ExitInfo;
  /** Why the watcher failed: the last stderr line, or the spawn error. */
  lastError?: string;
}

/**
 * The state to show a user: `starting` while a process of a running watcher is not up yet (a worker still loading its
 * step, a respawn after a crash), otherwise the watcher's own state.
 */
export function shownState(w: WatcherStatus): WatcherState {
  return w.state === 'running' && w.processes.some((p) => p.ready === false) ? 'starting' : w.state;
}

export interface RuntimeStatus {
  home: string;
  pid: number;
  version: string;
  startedAt: number;
  state: 'starting' | 'running' | 'degraded' | 'stopping';
  watchers: WatcherStatus[];
  /** The last configuration error seen by conf_monitor (the running setup was kept). */
  configError?: string;
}

export type Request =
  | { id: number; cmd: 'status' }
  | { id: number; cmd: 'start' | 'stop' | 'restart'; watcher: string }
  | { id: number; cmd: 'incr' | 'decr'; watcher: string; count?: number }
  | { id: number; cmd: 'set_numprocesses'; watcher: string; value: number }
  | { id: number; cmd: 'reload' }
  | { id: number; cmd: 'shutdown' }
  | { id: number; cmd: 'subscribe' }
  /** The debugger takes the watcher's work over: its processes stop and are not respawned. */
  | { id: number; cmd: 'hand_over'; watcher: string }
  /** Ends a hand_over: the watcher's processes start again. */
  | { id: number; cmd: 'take_back'; watcher: string }
  /** conf_monitor: the configuration on disk is broken (the running setup is kept); `error` is file:line: message lines. */
  | { id: number; cmd: 'report_config_error'; error: string }
  /** conf_monitor: the configuration on disk is valid again. */
  | { id: number; cmd: 'clear_config_error' };

export type Response =
  | { id: number; ok: true; result?: unknown }
  | { id: number; ok: false; error: string };

export type RuntimeEvent =
  | { event: 'watcher_state'; watcher: string; state: WatcherState; at: number; error?: string }
  | { event: 'process_spawn'; watcher: string; pid: number; wid: number; at: number }
  /** The process is up (its `ready` in status turned true): it announced it, redis answered PING, or 700 ms passed. */
  | { event: 'process_ready'; watcher: string; pid: number; wid: number; at: number }
  | { event: 'process_exit'; watcher: string; pid: number; wid: number; code: number | null; signal: string | null; at: number }
  | { event: 'flapping'; watcher: string; exits: number; windowSeconds: number; at: number; error?: string }
  | { event: 'config_reloaded'; added: string[]; removed: string[]; changed: string[]; at: number }
  | { event: 'config_error'; error: string; at: number }
  | { event: 'runtime_state'; state: RuntimeStatus['state']; at: number };
