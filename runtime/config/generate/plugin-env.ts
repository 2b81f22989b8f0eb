// The MFDATA-style environment of a plugin's processes: MFDATA_CURRENT_PLUGIN_* from every non-underscore key.
import * as path from 'node:path';
import { runtimeHome, stepInbox, stepQueue } from '../../home';
import type { ExtraDaemonConfig, ModuleConfig, PluginConfig, StepConfig } from '../model';
import { metricsEnv } from '../../metrics/settings';
import { journeyEnv } from '../../journey/settings';
import { redisEndpoint } from './redis-address';

const ENV_NAME = /^[A-Za-z0-9_-]+$/;
const envPart = (s: string): string => s.toUpperCase().replace(/-/g, '_');
const flag = (b: boolean): string => (b ? '1' : '0');

/**
 * A step's keys as MFDATA exposes them (booleans 1/0, lists comma-joined), built-in options included.
 * numprocesses is left out, unlike MFDATA: it is the supervisor's business (a worker has MFDATA_WID), and
 * keeping it out of the environment lets a change of worker count add or remove processes without restarting the others.
 */
export function stepKeyValues(step: StepConfig): Record<string, string> {
  const r = step.rlimits ?? { as: 0, nofile: 0, stack: 0, fsize: 0 };
  return {
    debug: flag(step.debug),
    timeout: String(step.timeout),
    process_timeout: String(step.processTimeout),
    max_age: String(step.maxAge),
    max_age_variance: String(step.maxAgeVariance),
    rlimit_as: String(r.as),
    rlimit_nofile: String(r.nofile),
    rlimit_stack: String(r.stack),
    rlimit_fsize: String(r.fsize),
    log_split_stdout_stderr: step.logSplitStdoutStderr ?? 'AUTO',
    log_split_multiple_workers: step.logSplitMultipleWorkers ?? 'AUTO',
    watched_directories: step.watchedDirectories.join(','),
    failure_policy: step.failurePolicy,
    failure_policy_move_dest_dir: step.failurePolicyMoveDestDir,
    retry_total: String(step.retryTotal),
    retry_min_wait: String(step.retryMinWait),
    retry_max_wait: String(step.retryMaxWait),
    retry_backoff: String(step.retryBackoff),
    step_limit: String(step.stepLimit),
    batch_max_size: String(step.batchMaxSize),
    batch_max_wait: String(step.batchMaxWait),
    ...step.options,
  };
}

export function extraDaemonKeyValues(extra: ExtraDaemonConfig): Record<string, string> {
  const r = extra.rlimits ?? { as: 0, nofile: 0, stack: 0, fsize: 0 };
  return {
    graceful_timeout: String(extra.gracefulTimeout),
    max_age: String(extra.maxAge),
    rlimit_as: String(r.as),
    rlimit_nofile: String(r.nofile),
    rlimit_stack: String(r.stack),
    rlimit_fsize: String(r.fsize),
    log_split_stdout_stderr: extra.logSplitStdoutStderr ?? 'AUTO',
    log_split_multiple_workers: extra.logSplitMultipleWorkers ?? 'AUTO',
    debug: flag(extra.debug),
  };
}

function addSection(env: Record<string, string>, section: string, values: Record<string, string>): void {
  if (!ENV_NAME.test(section)) return;
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith('_') && ENV_NAME.test(key)) env[`MFDATA_CURRENT_PLUGIN_${envPart(section)}_${envPart(key)}`] = value;
  }
}

/** Variables shared by every process of a plugin; `debug` raises the log level to DEBUG. */
export function pluginEnv(plugin: PluginConfig, module: ModuleConfig, home: string, debug: boolean): Record<string, string> {
  const h = runtimeHome(home);
  const env: Record<string, string> = {
    MFDATA_HOME: h.root,
    MFDATA_DATA_IN_DIR: h.inDir,
    MFDATA_CURRENT_PLUGIN_NAME: plugin.name,
    MFDATA_CURRENT_PLUGIN_DIR: plugin.dir,
    MFDATA_CURRENT_PLUGIN_LABEL: `plugin_${plugin.name}@mfdata`,
    TMPDIR: path.join(h.tmpDir, plugin.name),
    MFLOG_MINIMAL_LEVEL: debug ? 'DEBUG' : module.log.minimalLevel,
  };
  if (debug) {
    env.MFDATA_LOG_MINIMAL_LEVEL = 'DEBUG';
    env.MFDATA_CURRENT_APP_DEBUG = '1';
  }
  const redis = redisEndpoint(module, home);
  if (redis.unixSocket) env.MFDATA_REDIS_UNIX_SOCKET = redis.unixSocket;
  else {
    env.MFDATA_REDIS_HOST = redis.host;
    env.MFDATA_REDIS_PORT = String(redis.port);
  }
  // Like the Redis address: the step worker reads its metrics sinks from the environment.
  Object.assign(env, metricsEnv(module.metrics));
  Object.assign(env, journeyEnv(module.journeys));
  for (const step of plugin.steps) addSection(env, `step_${step.name}`, stepKeyValues(step));
  for (const extra of plugin.extraDaemons) addSection(env, `extra_daemon_${extra.name}`, extraDaemonKeyValues(extra));
  for (const [key, value] of Object.entries(plugin.custom)) if (ENV_NAME.test(key)) env[`MFDATA_CURRENT_PLUGIN_CUSTOM_${envPart(key)}`] = value;
  return env;
}

export function stepEnv(plugin: PluginConfig, step: StepConfig, module: ModuleConfig, home: string): Record<string, string> {
  return {
    ...pluginEnv(plugin, module, home, step.debug),
    MFDATA_CURRENT_STEP_NAME: step.name,
    MFDATA_CURRENT_STEP_QUEUE: stepQueue(plugin.name, step.name),
    MFDATA_CURRENT_STEP_DIR: stepInbox(runtimeHome(home), plugin.name, step.name),
  };
}

/** Same object with its keys sorted, so JSON output does not depend on insertion order. */
export function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
