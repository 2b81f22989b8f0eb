// What the supervisor runs: one WatcherSpec per watcher, produced by config generation
// (runtime/config) and written to `<home>/tmp/config_auto/watchers.json`.

export type WatcherKind = 'redis' | 'directory_observer' | 'conf_monitor' | 'step' | 'extra' | 'log_shipper' | 'http_receiver' | 'housekeeping' | 'metrics_collector';

export type StopSignal = 'SIGTERM' | 'SIGINT' | 'SIGKILL' | 'SIGQUIT' | 'SIGHUP';

/** Everything needed to run, stop and compare a watcher. Plain JSON: no functions, no class instances. */
export interface WatcherSpec {
  /** `redis`, `directory_observer`, `conf_monitor`, `step.<plugin>.<step>`, `extra.<plugin>.<name>`, `log_shipper`, `http_receiver`, `housekeeping`, `metrics_collector`. */
  name: string;
  kind: WatcherKind;
  plugin?: string;
  step?: string;
  /** Executable (absolute path, or a name looked up on PATH). Never a shell string. */
  command: string;
  args: string[];
  cwd: string;
  /** Variables added to the supervisor's own environment for this watcher's processes. */
  env: Record<string, string>;
  /** Number of processes (workers). 0 = the watcher exists but runs nothing. */
  numprocesses: number;
  /** Seconds between the stop signal and SIGKILL. */
  gracefulTimeout: number;
  stopSignal: StopSignal;
  /** Seconds a process may live before it is recycled (0 = forever), plus random(0, maxAgeVariance). */
  maxAge: number;
  maxAgeVariance: number;
  /** Start order: lower first; stop runs in reverse order. */
  priority: number;
  autostart: boolean;
  /** stdout+stderr of every process of the watcher, rotated. */
  logFile: string;
  /** Argument vectors run before start / after stop; exit code 200 = skip silently. */
  hooks?: { beforeStart?: string[]; afterStop?: string[] };
  /** Files whose change restarts this watcher (step code, for instance). Globs are not used: absolute paths or directories. */
  watchPaths?: string[];
  /**
   * Hash of everything that matters for this watcher; a reload restarts a watcher whose fingerprint changed.
   * Leave numprocesses, autostart and priority out of it: a reload applies those without a restart.
   */
  fingerprint: string;
  /** Respawn backoff (defaults: 0.1 s doubling up to 30 s). */
  backoff?: { initialSeconds: number; maxSeconds: number };
  /** Flapping limit: this many unexpected exits within windowSeconds mark the watcher failed (default 5 in 60 s). */
  flapping?: { exits: number; windowSeconds: number };
  /** Rotation of logFile by size and age, N rotated files kept as `<logFile>.<UTC stamp>` (defaults: runtime/log/rotating-file.ts). */
  logRotation?: { maxBytes: number; keep: number; maxAgeSeconds?: number };
  /**
   * Readiness: the supervisor starts the next priority group only once this watcher is ready.
   * `redisPing`: a unix socket answering PING. The `redis` watcher defaults to `<home>/var/redis.sock`.
   */
  ready?: { redisPing: string; timeoutSeconds?: number };
}

/** The file `watchers.json`: the supervisor's whole configuration. */
export interface SupervisorConfig {
  home: string;
  watchers: WatcherSpec[];
}
