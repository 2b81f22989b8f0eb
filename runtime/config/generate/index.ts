// Config generation: everything under <home>/tmp/config_auto/, as in-memory files (pure, deterministic).
import type { RuntimeConfig } from '../model';
import { generateDirectoryObserverIni } from './directory-observer';
import { generateRedisConf } from './redis-conf';
import { generateSupervisorConfig, switchRulesByInstance, type GenerateOptions } from './watchers';
import type { SupervisorConfig } from '../../supervisor/watcher-spec';

export type { GenerateOptions } from './watchers';

export const WATCHERS_FILE = 'watchers.json';
export const OBSERVER_FILE = 'directory_observer.ini';
export const REDIS_CONF_FILE = 'redis.conf';
/** Every switch rule of every plugin, grouped by switch instance (`switch` unless `[switch_rules@<name>:…]`). */
export const SWITCH_RULES_FILE = 'switch_rules.json';

export interface GeneratedFile {
  /** Path relative to config_auto, `/`-separated (`plugins/<name>.json`). */
  path: string;
  content: string;
}

export interface ConfigAuto {
  /** Sorted by path. */
  files: GeneratedFile[];
  supervisor: SupervisorConfig;
}

const json = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';

/** Same input, same bytes: plugins and steps arrive sorted from the loader, env keys are sorted. */
export function generateConfigAuto(config: RuntimeConfig, options: GenerateOptions): ConfigAuto {
  const observerIni = generateDirectoryObserverIni(config);
  const redisConf = generateRedisConf(config);
  const supervisor = generateSupervisorConfig(config, options, { redisConf, observerIni });
  const files: GeneratedFile[] = [
    { path: OBSERVER_FILE, content: observerIni },
    { path: WATCHERS_FILE, content: json(supervisor) },
    ...config.plugins.map((p) => ({ path: `plugins/${p.name}.json`, content: json(p) })),
    { path: SWITCH_RULES_FILE, content: json(switchRulesByInstance(config)) },
  ];
  if (redisConf !== undefined) files.push({ path: REDIS_CONF_FILE, content: redisConf });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, supervisor };
}
