// The runtime's per-step figures as the extension reads them (the contract of runtime/stats/read.ts).
// Declared here until that module lands on main; then these become re-exports of it.
export interface StepRef {
  plugin: string;
  step: string;
}

export interface StepFigures {
  processed: number;
  failed: number;
  bytes: number;
  meanMs: number | null;
  p95Ms: number | null;
  filesPerSecond: number;
}

export interface StepStats extends StepRef {
  queueLength: number;
  lastMinute: StepFigures;
  sinceStart: StepFigures;
}

export interface SeriesPoint {
  /** Bucket start, epoch ms. */
  t: number;
  processed: number;
  failed: number;
  meanMs: number | null;
  p95Ms: number | null;
}

export interface StepSeries extends StepRef {
  /** Oldest first, one per bucket, zero-filled. */
  points: SeriesPoint[];
}
