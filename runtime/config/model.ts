// The resolved configuration the runtime works from: what the parser, schema and validation produce
// from mfdata.ini and each plugin's config.ini (plus operator overrides). Plain JSON-serialisable data.

export type FailurePolicy = 'keep' | 'delete' | 'move';

/** One `[step_<name>]` section, with defaults applied and values typed. */
export interface StepConfig {
  name: string;
  /** Step module: a path relative to the plugin directory (`main.ts`), or `builtin:<name>` (copy, move, switch…). */
  stepModule: string;
  /** Absolute path of the step module when it is a file; undefined for built-ins. */
  stepModulePath?: string;
  numprocesses: number;
  debug: boolean;
  /** Seconds between SIGTERM and SIGKILL (MFDATA `timeout`, circus graceful_timeout). */
  timeout: number;
  /** Seconds one file may take in `process()` before it is abandoned to the failure policy (0 = no limit). */
  processTimeout: number;
  maxAge: number;
  maxAgeVariance: number;
  /** Absolute directories the observer watches for this step (`{MFDATA_CURRENT_STEP_DIR}` expanded, relative joined to IN). */
  watchedDirectories: string[];
  failurePolicy: FailurePolicy;
  /** `plugin/step` or an absolute directory; set when failurePolicy is `move`. */
  failurePolicyMoveDestDir: string;
  retryTotal: number;
  retryMinWait: number;
  retryMaxWait: number;
  retryBackoff: number;
  /** Routing-loop guard: a file seen by more than this many steps is abandoned to the failure policy. */
  stepLimit: number;
  /** Batch steps: flush at this many files or this many seconds. */
  batchMaxSize: number;
  batchMaxWait: number;
  /** Keys of the section that the schema does not define for every step (built-in step options). */
  options: Record<string, string>;
  /** Per-process limits (0 = unlimited). */
  rlimits?: Rlimits;
  /** MFDATA log_split_* keys as written: AUTO, 0 or 1. */
  logSplitStdoutStderr?: string;
  logSplitMultipleWorkers?: string;
}

/** setrlimit values in bytes / count; 0 = unset. */
export interface Rlimits {
  as: number;
  nofile: number;
  stack: number;
  fsize: number;
}

export interface ExtraDaemonConfig {
  name: string;
  /** Argument vector (split without a shell). */
  cmdAndArgs: string[];
  numprocesses: number;
  gracefulTimeout: number;
  maxAge: number;
  debug: boolean;
  rlimits?: Rlimits;
  logSplitStdoutStderr?: string;
  logSplitMultipleWorkers?: string;
}

export type SwitchRuleType = 'equal' | 'notequal' | 'fnmatch' | 'notfnmatch' | 'regex' | 'notregex' | 'alwaystrue' | 'function';

export interface SwitchRuleTarget {
  plugin: string;
  step: string;
  /** `plugin/step*`: the target may receive a hardlink. */
  hardlinkAllowed: boolean;
}

export interface SwitchRule {
  /** Switch instance (`switch` unless `[switch_rules@other:…]`). */
  switchName: string;
  type: SwitchRuleType;
  /** Tag name the rule reads; empty for alwaystrue and function rules. */
  tag: string;
  pattern: string;
  targets: SwitchRuleTarget[];
  /** Where the rule was written, for error messages. */
  plugin: string;
  file: string;
  line: number;
}

export interface PluginConfig {
  name: string;
  /** Absolute plugin directory (workspace `plugins/<name>` or `<home>/var/plugins/<name>`). */
  dir: string;
  /** `workspace` = devlinked from the workspace; `installed` = from a .plugin archive. */
  origin: 'workspace' | 'installed';
  configFile: string;
  version: string;
  release: string;
  summary: string;
  license: string;
  url: string;
  maintainer: string;
  vendor: string;
  steps: StepConfig[];
  extraDaemons: ExtraDaemonConfig[];
  custom: Record<string, string>;
  switchRules: SwitchRule[];
}

/** mfdata.ini, every key optional with a default. */
export interface ModuleConfig {
  /** The file it was read from, or undefined when absent (all defaults). */
  file?: string;
  redis: {
    /** redis-server executable ('' = found on PATH). */
    path: string;
    /** External Redis: when host is set the runtime does not start its own. */
    host: string;
    port: number;
    /** Unix socket ('' = `<home>/var/redis.sock` when the runtime runs its own). */
    unixSocket: string;
    maxMemoryMb: number;
  };
  directoryObserver: {
    forcedPoll: number;
    pollQueueLimit: number;
    timeout: number;
    ignore: string;
    only: string;
  };
  log: {
    minimalLevel: string;
    maxSizeMb: number;
    maxAgeSeconds: number;
    keep: number;
    elasticsearchUrl: string;
  };
  metrics: {
    statsdHost: string;
    statsdPort: number;
    influxdbUrl: string;
    /** `host` tag override; empty = the machine's host name. */
    host: string;
    influxdbFlushInterval: number;
    influxdbBufferSize: number;
    /** `v1` (`/write`) or `v2` (`/api/v2/write`, org + bucket + token). */
    influxdbApi: 'v1' | 'v2';
    influxdbOrg: string;
    influxdbBucket: string;
    influxdbToken: string;
    influxdbPrecision: 'ns' | 'us' | 'ms' | 's';
    /** Seconds between two rounds of the metrics_collector watcher; 0 = no collector. */
    collectInterval: number;
  };
  internalPlugins: {
    installSwitch: boolean;
    installGuessFileType: boolean;
    watchedDirectories: string[];
  };
  /** [http_receiver]: the upload receiver watcher (runtime/receiver). */
  httpReceiver: {
    flag: boolean;
    /** 0 = no TCP listener. */
    port: number;
    bind: string;
    /** '' = none. */
    unixSocket: string;
    maxBodyMb: number;
    /** Absolute, or relative to the inbox root IN. */
    directory: string;
    /** Absolute path of the bearer token file ('' = no authentication). */
    tokenFile: string;
  };
  supervisor: {
    /** Exits within flappingWindow seconds that mark a watcher failed. */
    flappingMaxRetries: number;
    flappingWindow: number;
  };
  autorestart: boolean;
  /** [housekeeping]: the housekeeping watcher (runtime/housekeeping). Minutes for the lifetimes, seconds for the interval. */
  housekeeping: {
    flag: boolean;
    interval: number;
    trashMaxLifetime: number;
    otherMaxLifetime: number;
  };
  /** [journeys]: per-file journey records (runtime/journey). */
  journeys: {
    enabled: boolean;
    keepHours: number;
    /** Share of Redis's maxmemory (%) above which journeys pause and old ones are dropped. */
    maxMemoryPercent: number;
  };
}

export interface RuntimeConfig {
  workspace: string;
  home: string;
  module: ModuleConfig;
  plugins: PluginConfig[];
}
