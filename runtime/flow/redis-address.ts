// The Redis of a runtime home, as the CLI and the extension reach it: the generated observer config's address, else the home socket.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuntimeHome } from '../home';
import Redis from 'ioredis';
import { describeAddress, type RedisAddress } from '../queue/connection';
import { runningSupervisorPid } from '../supervisor/launch';
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

/** The runtime's Redis did not answer a command's connection: `running` says whether a supervisor runs for the home. */
export class RuntimeRedisUnreachableError extends Error {
  constructor(readonly home: RuntimeHome, readonly address: RedisAddress, readonly running: boolean, reason: string) {
    super(running
      ? `cannot reach the runtime's Redis at ${describeAddress(address)}: ${reason} (see mfdata status)`
      : `mfdata is not running (home ${home.root}): start it with mfdata start`);
    this.name = 'RuntimeRedisUnreachableError';
  }
}

function createRuntimeRedis(home: RuntimeHome, purpose: string, lazyConnect: boolean): { redis: Redis; address: RedisAddress } {
  const address = runtimeRedisAddress(home);
  const common = { connectionName: `mfdata:${purpose}:${process.pid}`, maxRetriesPerRequest: 1, retryStrategy: (): null => null, enableOfflineQueue: true, lazyConnect };
  const redis = 'socket' in address ? new Redis({ ...common, path: address.socket }) : new Redis({ ...common, host: address.host, port: address.port });
  // A failed connection fails the commands sent on it; unheard, ioredis would also print its stack ("Unhandled error event").
  redis.on('error', () => undefined);
  return { redis, address };
}

/** A short-lived connection for a command: fails at once (no endless reconnection) when the runtime's Redis is not there. */
export function openRuntimeRedis(home: RuntimeHome, purpose: string): Redis {
  return createRuntimeRedis(home, purpose, false).redis;
}

/** openRuntimeRedis, once connected; a RuntimeRedisUnreachableError (not running, or its Redis down) when it cannot be. */
export async function connectRuntimeRedis(home: RuntimeHome, purpose: string): Promise<Redis> {
  const { redis, address } = createRuntimeRedis(home, purpose, true);
  // connect() rejects with "Connection is closed."; the 'error' event says why (ENOENT, ECONNREFUSED…).
  let cause: Error | undefined;
  redis.once('error', (err: Error) => { cause = err; });
  try {
    await redis.connect();
    return redis;
  } catch (err) {
    // No disconnect(): the connection is over already, and disconnecting it then keeps the process alive for 2 s.
    throw new RuntimeRedisUnreachableError(home, address, runningSupervisorPid(home) !== undefined, (cause ?? (err as Error)).message);
  }
}
