// What a metrics sink is: it takes points synchronously (never blocks, never throws) and is closed once.
import type { FieldValue, MetricKind, Tags } from './format';

export interface MetricsSink {
  record(kind: MetricKind, name: string, tags: Tags, value: number): void;
  /**
   * A whole point, sent as it is (no aggregation): the collectors' multi-field measurements. statsd carries
   * each numeric field as a gauge `<measurement>_<field>`; string fields only travel as line protocol.
   */
  point(measurement: string, tags: Tags, fields: ReadonlyArray<readonly [string, FieldValue]>): void;
  /** Sends what is pending (best effort, bounded in time) and releases sockets and timers. */
  close(): Promise<void>;
}

/** Where a sink reports trouble (the worker's mflog logger); a sink never throws into the data path. */
export type MetricsWarn = (event: string, fields: Record<string, string | number>) => void;
