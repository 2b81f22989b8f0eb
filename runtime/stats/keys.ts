// Redis key names and lifetimes of the step stats (docs/METRICS.md, "The runtime's own figures").

/** Width of one stats bucket, seconds. */
export const STATS_BUCKET_SECONDS = 10;
/** A bucket lives a little over the 15 minutes the series show. */
export const STATS_BUCKET_TTL_SECONDS = 16 * 60;

/** One step's counts over the 10 s starting at `bucketStartSeconds` (epoch seconds, a multiple of 10). */
export function statsBucketKey(plugin: string, step: string, bucketStartSeconds: number): string {
  return `stats@${plugin}/${step}@${bucketStartSeconds}`;
}

/** One step's counts since the runtime started (reset by the supervisor at start). */
export function statsTotalKey(plugin: string, step: string): string {
  return `stats@${plugin}/${step}@total`;
}

/** Set of `<plugin>/<step>` having a total, so the reset at start needs no SCAN. */
export const STATS_STEPS_KEY = 'stats@steps';

/** Epoch ms of the last reset of the totals (the runtime's start). */
export const STATS_STARTED_KEY = 'stats@started';

/** Start of the bucket holding `epochMs`, in epoch seconds. */
export function bucketStartSeconds(epochMs: number, bucketSeconds: number = STATS_BUCKET_SECONDS): number {
  return Math.floor(epochMs / 1000 / bucketSeconds) * bucketSeconds;
}
