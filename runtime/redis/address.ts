// Where Redis listens and how a process finds out (environment, fallback): shared by every Redis client of the runtime.

/** Where Redis listens: a unix socket (preferred on one host) or host:port (an external Redis shared by several hosts). */
export type RedisAddress = { socket: string } | { host: string; port: number };

export function describeAddress(address: RedisAddress): string {
  return 'socket' in address ? `unix:${address.socket}` : `${address.host}:${address.port}`;
}

/** Resolves the address from the usual sources: explicit, then MFDATA_REDIS_UNIX_SOCKET / MFDATA_REDIS_HOST+PORT, then the fallback. */
export function redisAddressFromEnv(env: NodeJS.ProcessEnv, fallback: RedisAddress): RedisAddress {
  const socket = env.MFDATA_REDIS_UNIX_SOCKET;
  if (socket && socket !== 'null') return { socket };
  if (env.MFDATA_REDIS_HOST) return { host: env.MFDATA_REDIS_HOST, port: Number(env.MFDATA_REDIS_PORT ?? 6379) };
  return fallback;
}
