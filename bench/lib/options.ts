// Benchmark options: full or --quick (a reduced run of about a minute for CI), and sizes overridable from the environment.
/** `--quick` on the command line or BENCH_QUICK=1 (set by scripts/run-bench.mjs --quick). */
export const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';

/** A size: the environment variable if set, else the quick or the full default. */
export function size(envName: string, full: number, quick: number): number {
  const v = process.env[envName];
  if (v !== undefined && v !== '' && Number.isFinite(Number(v))) return Number(v);
  return QUICK ? quick : full;
}

/** Runs per figure: medians of at least 5 in a full run. */
export const ROUNDS = Math.max(1, size('BENCH_ROUNDS', 5, 1));

/** A list of numbers: BENCH_<NAME>=1,2,4 or the quick/full default. */
export function list(envName: string, full: number[], quick: number[]): number[] {
  const v = process.env[envName];
  if (v) return v.split(',').map(Number).filter((n) => Number.isFinite(n));
  return QUICK ? quick : full;
}
