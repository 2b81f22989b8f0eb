// The step API's types: what a plugin step module exports and what its `ctx` offers. Self-contained (no runtime imports),
// so the same text ships as the `mfdata` declaration file that plugin code imports for completion.

/** A file claimed by the worker for this step, as `process()` receives it. */
export interface StepFile {
  /** Absolute path of the claimed file: `IN/tmp/<plugin>.<step>/<uid>`. */
  readonly path: string;
  /** The claim's random 128-bit hex id (also the claimed file's base name). */
  readonly uid: string;
  /** Name of the file when it entered the system (tag `first.core.original_basename`). */
  readonly originalBasename: string;
  /** Base name of the first inbox directory it was seen in (tag `first.core.original_dirname`). */
  readonly originalDirname: string;
  /** 32-hex id given at the file's first step (tag `first.core.original_uid`). */
  readonly originalUid: string;
  /** 0 at the file's first step, +1 per step after it (tag `latest.core.step_counter`). */
  readonly stepCounter: number;
  /** The file's tags when it was claimed. Use `ctx.getTag`/`ctx.setTag` for current values. */
  readonly tags: Readonly<Record<string, string>>;
}

export type LogValue = string | number | boolean | null | undefined;

/** The mflog logger bound to `mfdata.<plugin>.<step>`: one JSON line per record. */
export interface StepLogger {
  debug(event: string, fields?: Record<string, LogValue>): void;
  info(event: string, fields?: Record<string, LogValue>): void;
  warning(event: string, fields?: Record<string, LogValue>): void;
  error(event: string, fields?: Record<string, LogValue>): void;
  critical(event: string, fields?: Record<string, LogValue>): void;
  /** Logs `err` with its stack (`exception`, `exception_type`, `exception_file`). */
  exception(event: string, err: unknown, fields?: Record<string, LogValue>): void;
}

export interface RouteOptions {
  /**
   * Name in the target inbox: `true` = the file's original base name, `false` (default) = a new random
   * hex name, `null` = the file's original uid.
   */
  keepOriginalBasename?: boolean | null;
}

export interface TagQuery {
  /** Read the tag written by this plugin/step (default: the current ones). */
  plugin?: string;
  step?: string;
  /** `latest` (default) or the step counter `n` of `<n>.<plugin>.<step>.<name>`. */
  counter?: number | 'latest';
}

/**
 * Metrics with MFDATA's tags (`module=mfdata`, `host`, `plugin`, `step`) plus the extra tags given; sent as statsd
 * to Telegraf or as line protocol to InfluxDB when `[metrics]` of mfdata.ini configures one, else ignored.
 * Never throws, never waits.
 */
export interface StepMetrics {
  /** false when no metrics sink is configured (every call is then a no-op). */
  readonly enabled: boolean;
  /** Adds `value` (default 1) to a counter. */
  counter(name: string, value?: number, extraTags?: Readonly<Record<string, string | number>>): void;
  /** Records a duration in milliseconds. */
  timer(name: string, ms: number, extraTags?: Readonly<Record<string, string | number>>): void;
  /** Sets a gauge. */
  gauge(name: string, value: number, extraTags?: Readonly<Record<string, string | number>>): void;
}

export interface StepContext {
  readonly plugin: string;
  readonly step: string;
  /** Absolute directory of the plugin. */
  readonly pluginDir: string;
  /** The plugin's `[custom]` keys. */
  readonly custom: Readonly<Record<string, string>>;
  /** Keys of the step's section that are not standard step keys. */
  readonly options: Readonly<Record<string, string>>;
  /** A custom key (from `[custom]`, then the step section); throws when missing and no default is given. */
  getCustom(key: string, defaultValue?: string): string;
  readonly log: StepLogger;
  /** Reads `<counter>.<plugin>.<step>.<name>` (default `latest.<this plugin>.<this step>.<name>`). */
  getTag(file: StepFile | string, name: string, query?: TagQuery): Promise<string | undefined>;
  /** Writes `<n>.<plugin>.<step>.<name>` and `latest.<plugin>.<step>.<name>`. */
  setTag(file: StepFile | string, name: string, value: string | number): Promise<void>;
  /** Every tag of the file, raw names. */
  getTags(file: StepFile | string): Promise<Record<string, string>>;
  /** Moves the file (with its tags) into another step's inbox. False (and an error logged) on failure. */
  moveToPluginStep(file: StepFile | string, plugin: string, step: string, options?: RouteOptions): Promise<boolean>;
  copyToPluginStep(file: StepFile | string, plugin: string, step: string, options?: RouteOptions): Promise<boolean>;
  /** Hard link when possible (same file system), else a copy. */
  hardlinkToPluginStep(file: StepFile | string, plugin: string, step: string, options?: RouteOptions): Promise<boolean>;
  /** A fresh path in this step's private tmp area (not watched, removed if the worker dies). */
  tmpPath(suffix?: string): string;
  /** Absolute inbox directory of a step: `IN/step.<plugin>.<step>`. */
  inbox(plugin: string, step: string): string;
  /** Counters, timers and gauges tagged with this plugin and step. */
  readonly metrics: StepMetrics;
  /**
   * Calls `fn` with an uncompressed copy of `file` (in the step's tmp area, with the file's tags; removed with its
   * tags afterwards unless `fn` routed it). Data that is not valid `method`: with `strict`, a warning is logged, `fn`
   * is not called and the result is `false` (failure policy); without, `fn` gets the file as it is. What the
   * `ungzip`/`tryUngzip`/`unbzip2`/`tryUnbzip2` wrappers of `process` call (MFDATA's decorators).
   */
  uncompressed(file: StepFile, method: Compression, strict: boolean, fn: (file: StepFile) => Awaitable<boolean>): Promise<boolean>;
}

/** `gzip` (zlib) or `bzip2` (the system `bzip2 -d -c`). */
export type Compression = 'gzip' | 'bzip2';

/** A step's `process`, as the uncompressing wrappers take and return it. */
export type ProcessFunction = (file: StepFile, ctx: StepContext) => Awaitable<boolean>;

export type Awaitable<T> = T | Promise<T>;

/** What a step module exports, as `export const step = defineStep({...})` or as named functions. */
export interface StepDefinition {
  /** Once, before the first file. */
  init?(ctx: StepContext): Awaitable<void>;
  /** One file. true = done (the claimed file is deleted if still there); false or a throw = failure policy. */
  process?(file: StepFile, ctx: StepContext): Awaitable<boolean>;
  /** A batch (flushed at batch_max_size files or batch_max_wait seconds): one result for all, or one per file. */
  batchProcess?(files: StepFile[], ctx: StepContext): Awaitable<boolean | boolean[]>;
  /** After each file's result (also after a throw). */
  after?(status: boolean, ctx: StepContext, file: StepFile): Awaitable<void>;
  /** Once, when the worker stops. */
  destroy?(ctx: StepContext): Awaitable<void>;
}
