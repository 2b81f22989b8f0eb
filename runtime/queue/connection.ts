// Redis connections of the data path: one place for ioredis options (unix socket first, reconnect forever, no command dropped).
import Redis, { type RedisOptions } from 'ioredis';
import type { RedisAddress } from '../redis/address';

export { describeAddress, redisAddressFromEnv, type RedisAddress } from '../redis/address';

export interface ConnectOptions {
  /** Connection name shown by CLIENT LIST (`mfdata:worker:<plugin>.<step>:<pid>`). */
  name: string;
  /** Batch the commands issued in one event-loop tick into one write (producers). */
  autoPipelining?: boolean;
  /** Told once per outage (the connection retries on its own); default: silent. */
  onOutage?: (err: Error) => void;
}

/**
 * A connection that reconnects forever (backoff capped at 1 s) and keeps every command until Redis
 * is back: a data-path process never drops a push or a claim because Redis restarted.
 */
export function connectRedis(address: RedisAddress, options: ConnectOptions): Redis {
  const common: RedisOptions = {
    connectionName: options.name.replace(/\s/g, '_'),
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    enableAutoPipelining: options.autoPipelining ?? false,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    // A READONLY replica or LOADING server: wait and retry rather than fail the command.
    reconnectOnError: (err) => /READONLY|LOADING/.test(err.message),
  };
  const redis = 'socket' in address ? new Redis({ ...common, path: address.socket }) : new Redis({ ...common, host: address.host, port: address.port });
  // Without a listener ioredis prints every failed reconnection attempt; one report per outage is enough.
  let reported = false;
  redis.on('error', (err: Error) => {
    if (!reported) options.onOutage?.(err);
    reported = true;
  });
  redis.on('ready', () => { reported = false; });
  return redis;
}
