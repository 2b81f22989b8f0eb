// Summaries of repeated measurements: median [min–max] over runs, and percentiles of latency samples.
/** One figure over several runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function spread(values: readonly number[]): Spread | undefined {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  const median = v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], runs: v.length };
}

/** The p-th percentile (nearest rank) of ascending samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Figures of several runs by name: add one value per run, read the spread. */
export class Runs {
  private readonly values = new Map<string, number[]>();

  add(name: string, value: number): void {
    const list = this.values.get(name) ?? [];
    list.push(value);
    this.values.set(name, list);
  }

  get(name: string): Spread | undefined {
    return spread(this.values.get(name) ?? []);
  }
}
