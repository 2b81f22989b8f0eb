// The worker's data-path connections with our client: named, reconnecting forever, one outage report per outage.
import type { RedisAddress } from './address';
import { LeanRedis } from './client';

export interface LeanConnectOptions {
  /** Connection name shown by CLIENT LIST (`mfdata:worker:<plugin>.<step>:<pid>`). */
  name: string;
  /** Told once per outage (the connection retries on its own); default: silent. */
  onOutage?: (err: Error) => void;
}

/**
 * The same guarantees as runtime/queue/connection.ts gives other processes with ioredis: commands wait while Redis
 * is away and are sent (or re-sent) in order when it is back; a failed reconnection attempt is not a new outage.
 */
export function connectLeanRedis(address: RedisAddress, options: LeanConnectOptions): LeanRedis {
  const redis = new LeanRedis(address, { name: options.name.replace(/\s/g, '_') });
  let reported = false;
  redis.on('error', (err) => {
    if (!reported) options.onOutage?.(err);
    reported = true;
  });
  redis.on('ready', () => { reported = false; });
  return redis;
}
