// Generates redis.conf for the runtime's own redis-server: unix socket in the home, no eviction, append-only.
import { runtimeHome } from '../../home';
import type { RuntimeConfig } from '../model';
import { GENERATED_HEADER } from './directory-observer';
import { redisEndpoint } from './redis-address';

/** Undefined when mfdata.ini names an external Redis (the runtime then starts none). */
export function generateRedisConf(config: RuntimeConfig): string | undefined {
  const redis = redisEndpoint(config.module, config.home);
  if (!redis.own) return undefined;
  const home = runtimeHome(config.home);
  const lines = [
    `# ${GENERATED_HEADER}`,
    // Queues and tags must never be evicted (MFDATA used allkeys-lru): writes fail instead, loudly.
    `port ${redis.port}`,
    `unixsocket ${redis.unixSocket}`,
    'unixsocketperm 700',
    `dir ${home.redisDataDir}`,
    `maxmemory ${config.module.redis.maxMemoryMb}mb`,
    'maxmemory-policy noeviction',
    'appendonly yes',
    'appendfsync everysec',
    'save 60 1',
    'daemonize no',
    'logfile ""',
  ];
  return lines.join('\n') + '\n';
}
