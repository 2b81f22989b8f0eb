// What a metrics sink is: it takes points synchronously (never blocks, never throws) and is closed once.
import type { MetricKind, Tags } from './format';

export interface MetricsSink {
  record(kind: MetricKind, name: string, tags: Tags, value: number): void;
  /** Sends what is pending (best effort, bounded in time) and releases sockets and timers. */
  close(): Promise<void>;
}

/** Where a sink reports trouble (the worker's mflog logger); a sink never throws into the data path. */
export type MetricsWarn = (event: string, fields: Record<string, string | number>) => void;
