// Generates the supervisor configuration (watchers.json): one WatcherSpec per process group, in start order.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { runtimeHome } from '../../home';
import type { SupervisorConfig, WatcherSpec } from '../../supervisor/watcher-spec';
import type { PluginConfig, RuntimeConfig, StepConfig, SwitchRule } from '../model';
import { sortedRecord, stepEnv, pluginEnv } from './plugin-env';
import { redisEndpoint } from './redis-address';
import { metricsEnv } from '../../metrics/settings';
import { tokenDigest } from '../../receiver/token';
import { journeyEnv } from '../../journey/settings';

export interface GenerateOptions {
  /** Directory holding observer.js, worker.js, conf-monitor.js (the built dist/runtime). */
  runtimeDir: string;
  /** The node executable that runs them. */
  nodePath: string;
  /** Overrides the redis-server executable of mfdata.ini [redis] path. */
  redisServer?: string;
}

/** Start order (stop runs in reverse): Redis first, then the steps, then the observer that feeds them, then conf_monitor, then housekeeping (stopped first: its Redis calls end before Redis does). */
// The log shipper starts right after Redis and stops just before it, so it ships the other watchers' last lines.
// The HTTP receiver starts after the steps and before the observer, and stops before the steps that take its files.
// The metrics collector starts once everything it measures runs, and stops before it (after housekeeping).
export const PRIORITY = { redis: 0, log_shipper: 1, step: 10, extra: 10, http_receiver: 15, directory_observer: 20, conf_monitor: 30, metrics_collector: 35, housekeeping: 40 } as const;

type Unsigned = Omit<WatcherSpec, 'fingerprint'>;

/**
 * Fields a running watcher takes without a restart: the supervisor adds or removes processes for a new
 * numprocesses, and autostart/priority only matter when the whole runtime starts or stops.
 */
const RESTART_FREE: ReadonlySet<string> = new Set(['numprocesses', 'autostart', 'priority']);

/** sha256 of the spec (minus its fingerprint and restart-free fields) and of whatever else the watcher's processes read. */
export function fingerprint(spec: Unsigned, extra: unknown): string {
  const relevant = Object.fromEntries(Object.entries(spec).filter(([k]) => !RESTART_FREE.has(k)));
  return createHash('sha256').update(JSON.stringify(relevant)).update('\0').update(JSON.stringify(extra ?? null)).digest('hex');
}

/** The plugin as its processes read it: worker counts are the supervisor's business, so scaling restarts nothing. */
/**
 * What a step's workers depend on, hashed into its fingerprint: the plugin's own settings and this step's section,
 * not the other steps' sections, its extra daemons or its switch rules (a step added to config.ini restarted every
 * other step of the plugin), nor numprocesses (changed without a restart).
 */
function stepView(plugin: PluginConfig, step: StepConfig): PluginConfig {
  return { ...plugin, steps: [{ ...step, numprocesses: 0 }], extraDaemons: [], switchRules: [] };
}

function runsPluginCode(step: StepConfig): boolean {
  return !step.stepModule.startsWith('builtin:') || step.stepModule === 'builtin:switch';
}

function withoutScale(plugin: PluginConfig): PluginConfig {
  return {
    ...plugin,
    steps: plugin.steps.map((s) => ({ ...s, numprocesses: 0 })),
    extraDaemons: plugin.extraDaemons.map((e) => ({ ...e, numprocesses: 0 })),
  };
}

/** Field order of watchers.json, whatever order a spec was built in. */
const FIELD_ORDER: (keyof WatcherSpec)[] = [
  'name', 'kind', 'plugin', 'step', 'command', 'args', 'cwd', 'env', 'numprocesses', 'gracefulTimeout', 'stopSignal',
  'maxAge', 'maxAgeVariance', 'priority', 'autostart', 'logFile', 'logRotation', 'flapping', 'hooks', 'watchPaths',
];

function sign(spec: Unsigned, extra: unknown): WatcherSpec {
  const ordered = Object.fromEntries(FIELD_ORDER.filter((k) => k in spec).map((k) => [k, spec[k as keyof Unsigned]])) as Unsigned;
  return { ...ordered, fingerprint: fingerprint(ordered, extra) };
}

/** Rules per switch instance; plugins arrive sorted by name and rules keep their file order (MFDATA's concatenation). */
export function switchRulesByInstance(config: RuntimeConfig): Record<string, SwitchRule[]> {
  const byName: Record<string, SwitchRule[]> = {};
  for (const plugin of config.plugins) for (const rule of plugin.switchRules) (byName[rule.switchName] ??= []).push(rule);
  return Object.fromEntries(Object.keys(byName).sort().map((k) => [k, byName[k]]));
}

/** What every watcher shares from mfdata.ini: rotation of its log file ([log]) and its flapping limit ([supervisor]). */
function moduleWide(config: RuntimeConfig): Pick<WatcherSpec, 'logRotation' | 'flapping'> {
  const { log, supervisor } = config.module;
  return {
    logRotation: { maxBytes: log.maxSizeMb * 1024 * 1024, maxAgeSeconds: log.maxAgeSeconds, keep: log.keep },
    flapping: { exits: supervisor.flappingMaxRetries, windowSeconds: supervisor.flappingWindow },
  };
}

/**
 * Node flags of a step worker. A 1 MB semi-space keeps the young generation small: V8 otherwise grows it to 16 MB
 * under a burst and keeps it, which doubled an idle worker's RSS; a worker's per-file garbage is short-lived, so the
 * extra scavenges cost little (docs/BENCHMARKS.md). No --enable-source-maps: the worker turns source maps on itself
 * before it loads the step code (so step stacks name the .ts lines) without parsing the runtime's own 1 MB map. --expose-gc lets the worker run one full GC when its
 * queue goes idle after work (runtime/worker/idle-gc.ts: ~8 MB given back after a burst) and a scavenge between files
 * when its queue is drained (runtime/worker/between-files-gc.ts: not inside a claim); it takes `gc` off the global
 * object before loading step code. --single-threaded-gc: on a 2-CPU host V8's GC helper threads competed with
 * the other worker, redis and the observer for the same CPUs; without them a cold burst cost ~12 % less worker CPU per
 * file, with the same RSS (docs/BENCHMARKS.md). A step with a large heap pays longer GC pauses in exchange.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--expose-gc', '--single-threaded-gc'];

/**
 * Environment of every step worker (a plugin's own variables come after and win). MALLOC_ARENA_MAX=1: V8 compiles hot
 * functions on a background thread, whose malloc arena kept its freed compiler memory as RSS: ~3 MB per worker after
 * a burst (56.7–59.6 MB against 60.6–60.9 MB, 4 A/B runs, docs/BENCHMARKS.md). One arena lets the main thread reuse it.
 */
export const WORKER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1' };

function stepWatchers(config: RuntimeConfig, plugin: PluginConfig, options: GenerateOptions): WatcherSpec[] {
  const home = runtimeHome(config.home);
  const shared = moduleWide(config);
  const specs: WatcherSpec[] = [];
  for (const step of plugin.steps) {
    specs.push(sign({
      ...shared,
      name: `step.${plugin.name}.${step.name}`,
      kind: 'step',
      plugin: plugin.name,
      step: step.name,
      command: options.nodePath,
      args: [...WORKER_NODE_FLAGS, path.join(options.runtimeDir, 'worker.js'), '--home', home.root, '--plugin', plugin.name, '--step', step.name],
      cwd: plugin.dir,
      env: sortedRecord({ ...WORKER_ENV, ...stepEnv(plugin, step, config.module, config.home) }),
      numprocesses: step.numprocesses,
      gracefulTimeout: step.timeout,
      stopSignal: 'SIGTERM',
      maxAge: step.maxAge,
      maxAgeVariance: step.maxAge > 0 ? step.maxAgeVariance : 0,
      priority: PRIORITY.step,
      autostart: true,
      logFile: path.join(home.logDir, `step_${plugin.name}_${step.name}.log`),
      // A change to the plugin's code restarts the steps that run it: its TypeScript steps, and a switch (its function
      // rules are plugin code). Other built-in steps run none.
      watchPaths: runsPluginCode(step) ? [plugin.dir] : [],
    // A switch step re-reads the rules of every plugin: a rule change anywhere restarts it.
    }, step.stepModule === 'builtin:switch' ? { plugin: stepView(plugin, step), rules: switchRulesByInstance(config)[step.options.switch_name] ?? [] } : stepView(plugin, step)));
  }
  for (const extra of plugin.extraDaemons) {
    const [command, ...args] = extra.cmdAndArgs;
    specs.push(sign({
      ...shared,
      name: `extra.${plugin.name}.${extra.name}`,
      kind: 'extra',
      plugin: plugin.name,
      command,
      args,
      cwd: plugin.dir,
      env: sortedRecord(pluginEnv(plugin, config.module, config.home, extra.debug)),
      numprocesses: extra.numprocesses,
      gracefulTimeout: extra.gracefulTimeout,
      stopSignal: 'SIGTERM',
      maxAge: extra.maxAge,
      maxAgeVariance: extra.maxAge > 0 ? extra.maxAge : 0,
      priority: PRIORITY.extra,
      autostart: true,
      logFile: path.join(home.logDir, `extra_${plugin.name}_${extra.name}.log`),
      watchPaths: [plugin.dir],
    }, withoutScale(plugin)));
  }
  return specs;
}

/**
 * The supervisor's watchers. `files` = the generated files a watcher reads (redis.conf,
 * directory_observer.ini), folded into its fingerprint so a change restarts it.
 */
export function generateSupervisorConfig(config: RuntimeConfig, options: GenerateOptions, files: { redisConf?: string; observerIni: string }): SupervisorConfig {
  const home = runtimeHome(config.home);
  const base = { cwd: home.root, stopSignal: 'SIGTERM' as const, maxAge: 0, maxAgeVariance: 0, autostart: true, numprocesses: 1, ...moduleWide(config) };
  const logEnv = { MFDATA_HOME: home.root, MFLOG_MINIMAL_LEVEL: config.module.log.minimalLevel };
  const watchers: WatcherSpec[] = [];
  if (redisEndpoint(config.module, config.home).own && files.redisConf !== undefined) {
    watchers.push(sign({
      ...base, name: 'redis', kind: 'redis',
      command: options.redisServer ?? (config.module.redis.path || 'redis-server'),
      args: [path.join(home.configAutoDir, 'redis.conf')],
      env: {}, gracefulTimeout: 10, priority: PRIORITY.redis, logFile: path.join(home.logDir, 'redis.log'),
    }, files.redisConf));
  }
  for (const plugin of config.plugins) watchers.push(...stepWatchers(config, plugin, options));
  const receiver = config.module.httpReceiver;
  if (receiver.flag) {
    const { ignore, only } = config.module.directoryObserver;
    watchers.push(sign({
      ...base, name: 'http_receiver', kind: 'http_receiver',
      command: options.nodePath,
      args: [
        path.join(options.runtimeDir, 'receiver.js'), '--home', home.root, '--directory', path.resolve(home.inDir, receiver.directory),
        '--port', String(receiver.port), '--bind', receiver.bind, '--max-body-mb', String(receiver.maxBodyMb),
        // The observer's filter: a name it would ignore is refused up front instead of stored and never processed.
        '--only', only, '--ignore', ignore,
        ...(receiver.unixSocket ? ['--unix-socket', path.resolve(home.root, receiver.unixSocket)] : []),
        // The path, never the token: argv is visible to every local user (ps).
        ...(receiver.tokenFile ? ['--token-file', receiver.tokenFile] : []),
      ],
      env: sortedRecord(logEnv), gracefulTimeout: 10, priority: PRIORITY.http_receiver, logFile: path.join(home.logDir, 'http_receiver.log'),
    }, receiver.tokenFile ? { token: tokenDigest(receiver.tokenFile) } : null));
  }
  watchers.push(sign({
    ...base, name: 'directory_observer', kind: 'directory_observer',
    command: options.nodePath,
    args: [path.join(options.runtimeDir, 'observer.js'), '--config', path.join(home.configAutoDir, 'directory_observer.ini'), '--home', home.root],
    env: sortedRecord(logEnv), gracefulTimeout: 10, priority: PRIORITY.directory_observer, logFile: path.join(home.logDir, 'directory_observer.log'),
  }, files.observerIni));
  if (config.module.autorestart) {
    watchers.push(sign({
      ...base, name: 'conf_monitor', kind: 'conf_monitor',
      command: options.nodePath,
      args: [path.join(options.runtimeDir, 'conf-monitor.js'), '--home', home.root, '--workspace', config.workspace],
      env: sortedRecord(logEnv), gracefulTimeout: 10, priority: PRIORITY.conf_monitor, logFile: path.join(home.logDir, 'conf_monitor.log'),
    }, null));
  }
  // Housekeeping and the collector reach the workers' Redis (tags of deleted files; queue lengths).
  const redis = redisEndpoint(config.module, config.home);
  const redisEnv: Record<string, string> = redis.unixSocket ? { MFDATA_REDIS_UNIX_SOCKET: redis.unixSocket } : { MFDATA_REDIS_HOST: redis.host, MFDATA_REDIS_PORT: String(redis.port) };
  const metrics = config.module.metrics;
  if (metrics.collectInterval > 0 && Object.keys(metricsEnv(metrics)).length > 0) {
    watchers.push(sign({
      ...base, name: 'metrics_collector', kind: 'metrics_collector',
      command: options.nodePath,
      args: [path.join(options.runtimeDir, 'metrics-collector.js'), '--home', home.root, '--interval', String(metrics.collectInterval)],
      // The same sinks as the workers', through the same variables.
      env: sortedRecord({ ...logEnv, ...redisEnv, ...metricsEnv(metrics) }),
      gracefulTimeout: 10, priority: PRIORITY.metrics_collector, logFile: path.join(home.logDir, 'metrics_collector.log'),
    }, null));
  }
  const hk = config.module.housekeeping;
  if (hk.flag) {
    watchers.push(sign({
      ...base, name: 'housekeeping', kind: 'housekeeping',
      command: options.nodePath,
      args: [
        path.join(options.runtimeDir, 'housekeeping.js'), '--home', home.root, '--interval', String(hk.interval),
        '--trash-max-lifetime', String(hk.trashMaxLifetime), '--other-max-lifetime', String(hk.otherMaxLifetime),
      ],
      // It drops the Redis tags of the files it deletes (the same address as the workers') and, Redis short of memory,
      // old journeys (the workers' [journeys] settings).
      env: sortedRecord({ ...logEnv, ...redisEnv, ...journeyEnv(config.module.journeys) }),
      gracefulTimeout: 10, priority: PRIORITY.housekeeping, logFile: path.join(home.logDir, 'housekeeping.log'),
    }, null));
  }
  if (config.module.log.elasticsearchUrl) {
    watchers.push(sign({
      ...base, name: 'log_shipper', kind: 'log_shipper',
      command: options.nodePath,
      // The URL in the environment, not in argv: it may hold credentials (user:password@), and argv is visible to
      // every local user (ps); a process's environment only to its own user.
      args: [path.join(options.runtimeDir, 'log-shipper.js'), '--home', home.root],
      env: sortedRecord({ ...logEnv, MFDATA_LOG_ELASTICSEARCH_URL: config.module.log.elasticsearchUrl }), gracefulTimeout: 10, priority: PRIORITY.log_shipper, logFile: path.join(home.logDir, 'log_shipper.log'),
    }, null));
  }
  watchers.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { home: home.root, watchers };
}
