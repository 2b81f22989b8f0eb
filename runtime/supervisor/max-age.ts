// max_age recycling: how long a process may live before it is replaced, with random variance so that
// the workers of one watcher are not all recycled at the same moment.

/**
 * Lifetime in milliseconds (`maxAge + random(0, maxAgeVariance)` seconds), or undefined when
 * `maxAge` is 0 (the process lives forever). `random` returns a number in [0, 1).
 */
export function lifetimeMs(maxAge: number, maxAgeVariance: number, random: () => number = Math.random): number | undefined {
  if (!(maxAge > 0)) return undefined;
  const variance = maxAgeVariance > 0 ? maxAgeVariance * random() : 0;
  return Math.round((maxAge + variance) * 1000);
}
