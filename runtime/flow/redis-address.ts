// The Redis of a runtime home, as the CLI and the extension reach it: the generated observer config's address, else the home socket.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuntimeHome } from '../home';
import Redis from 'ioredis';
import type { RedisAddress } from '../queue/connection';
import { readObserverConfig } from '../observer/observer-config';

export function runtimeRedisAddress(home: RuntimeHome): RedisAddress {
  const file = path.join(home.configAutoDir, 'directory_observer.ini');
  if (fs.existsSync(file)) {
    try {
      const redis = readObserverConfig(file).redis;
      if (redis) return redis;
    } catch {
      // an unreadable generated file: the home's own socket
    }
  }
  return { socket: home.redisSocket };
}

/** A short-lived connection for a command: fails at once (no endless reconnection) when the runtime's Redis is not there. */
export function openRuntimeRedis(home: RuntimeHome, purpose: string): Redis {
  const address = runtimeRedisAddress(home);
  const common = { connectionName: `mfdata:${purpose}:${process.pid}`, maxRetriesPerRequest: 1, retryStrategy: (): null => null, enableOfflineQueue: true };
  return 'socket' in address ? new Redis({ ...common, path: address.socket }) : new Redis({ ...common, host: address.host, port: address.port });
}
