// Redis connections of the data path: one place for ioredis options (unix socket first, reconnect forever, no command dropped).
import Redis, { type RedisOptions } from 'ioredis';

/** Where Redis listens: a unix socket (preferred on one host) or host:port (an external Redis shared by several hosts). */
export type RedisAddress = { socket: string } | { host: string; port: number };

export function describeAddress(address: RedisAddress): string {
  return 'socket' in address ? `unix:${address.socket}` : `${address.host}:${address.port}`;
}

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

/** Resolves the address from the usual sources: explicit, then MFDATA_REDIS_UNIX_SOCKET / MFDATA_REDIS_HOST+PORT, then the fallback. */
export function redisAddressFromEnv(env: NodeJS.ProcessEnv, fallback: RedisAddress): RedisAddress {
  const socket = env.MFDATA_REDIS_UNIX_SOCKET;
  if (socket && socket !== 'null') return { socket };
  if (env.MFDATA_REDIS_HOST) return { host: env.MFDATA_REDIS_HOST, port: Number(env.MFDATA_REDIS_PORT ?? 6379) };
  return fallback;
}
