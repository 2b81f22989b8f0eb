// What a worker needs before it starts: its arguments, the resolved plugin/step config and the Redis address.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PluginConfig, StepConfig } from '../config/model';
import { runtimeHome, type RuntimeHome } from '../home';
import { redisAddressFromEnv, type RedisAddress } from '../redis/address';
import { readObserverConfig, type ObserverConfig } from '../observer/observer-config';

export class WorkerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerConfigError';
  }
}

export interface WorkerArgs {
  home: string;
  plugin: string;
  step: string;
  /** Explicit Redis unix socket (else env, else the observer config, else `<home>/var/redis.sock`). */
  redisSocket?: string;
}

export function parseWorkerArgs(argv: string[]): WorkerArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(home|plugin|step|redis-socket)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new WorkerConfigError(`unknown worker argument '${argv[i]}' (usage: worker.js --home H --plugin P --step S [--redis-socket PATH])`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new WorkerConfigError(`--${m[1]} needs a value`);
    values.set(m[1], value);
  }
  for (const key of ['home', 'plugin', 'step']) {
    if (!values.get(key)) throw new WorkerConfigError(`missing --${key} (usage: worker.js --home H --plugin P --step S)`);
  }
  return { home: path.resolve(values.get('home') as string), plugin: values.get('plugin') as string, step: values.get('step') as string, redisSocket: values.get('redis-socket') };
}

/** `<home>/tmp/config_auto/plugins/<plugin>.json`: the resolved PluginConfig written by config generation. */
export function pluginConfigFile(home: RuntimeHome, plugin: string): string {
  return path.join(home.configAutoDir, 'plugins', `${plugin}.json`);
}

export function observerConfigFile(home: RuntimeHome): string {
  return path.join(home.configAutoDir, 'directory_observer.ini');
}

export interface ResolvedWorkerConfig {
  home: RuntimeHome;
  plugin: PluginConfig;
  step: StepConfig;
  redis: RedisAddress;
  /** The observer's sections feeding this step's queue (for the inbox rescan after a dead worker). */
  observer: ObserverConfig | undefined;
}

export function loadWorkerConfig(args: WorkerArgs, env: NodeJS.ProcessEnv = process.env): ResolvedWorkerConfig {
  const home = runtimeHome(args.home);
  const file = pluginConfigFile(home, args.plugin);
  let plugin: PluginConfig;
  try {
    plugin = JSON.parse(fs.readFileSync(file, 'utf8')) as PluginConfig;
  } catch (err) {
    throw new WorkerConfigError(`cannot read the configuration of plugin '${args.plugin}' from ${file}: ${(err as Error).message} (is the runtime configuration generated?)`);
  }
  const step = plugin.steps?.find((s) => s.name === args.step);
  if (!step) {
    throw new WorkerConfigError(`plugin '${args.plugin}' has no step '${args.step}' in ${file} (steps: ${(plugin.steps ?? []).map((s) => s.name).join(', ') || 'none'})`);
  }
  let observer: ObserverConfig | undefined;
  if (fs.existsSync(observerConfigFile(home))) {
    try {
      observer = readObserverConfig(observerConfigFile(home));
    } catch {
      observer = undefined;
    }
  }
  const fallback = observer?.redis ?? { socket: home.redisSocket };
  const redis = args.redisSocket ? { socket: args.redisSocket } : redisAddressFromEnv(env, fallback);
  return { home, plugin, step, redis, observer };
}
