// The latency histogram of the step stats: log-scale buckets (8 per doubling from 10 µs), so p95 can be read
// from buckets summed over any time range, within one bucket's width (≤ 9 %).

/** Upper bound of bucket 0, in ms: every time at or below it (10 µs) lands there. */
export const HIST_BASE_MS = 0.01;
/** Buckets per doubling: each bucket's upper bound is 2^(1/8) ≈ 1.09 times the previous one's. */
export const HIST_PER_DOUBLING = 8;
/** Last bucket (upper bound 0.01 ms × 2^30 ≈ 3 h): longer times land there too. */
export const HIST_MAX_INDEX = 240;

/**
 * The bucket of a time: the smallest k with `ms <= histUpperMs(k)`. The epsilon keeps a time exactly on a
 * bound (1.28 ms = 0.01 × 2^7) in the bucket it bounds despite floating-point error in log2.
 */
export function histIndex(ms: number): number {
  if (!(ms > HIST_BASE_MS)) return 0;
  const k = Math.ceil(HIST_PER_DOUBLING * Math.log2(ms / HIST_BASE_MS) - 1e-9);
  return k > HIST_MAX_INDEX ? HIST_MAX_INDEX : k;
}

/** Upper bound of bucket k, in ms. */
export function histUpperMs(k: number): number {
  return HIST_BASE_MS * 2 ** (k / HIST_PER_DOUBLING);
}

/**
 * The q-quantile (0 < q ≤ 1) of the times counted in `hist` (bucket index → count), reported as the upper
 * bound of the bucket holding the ⌈q·n⌉-th smallest time: never below the true value, at most 9 % above it
 * (except beyond the last bucket). null when nothing was counted.
 */
export function histQuantile(hist: ReadonlyMap<number, number>, q: number): number | null {
  let n = 0;
  for (const c of hist.values()) n += c;
  if (n <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const k of [...hist.keys()].sort((a, b) => a - b)) {
    seen += hist.get(k) ?? 0;
    if (seen >= rank) return histUpperMs(k);
  }
  return null;
}
