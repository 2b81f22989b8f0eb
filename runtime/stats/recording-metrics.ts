// The worker's metrics client with the step stats tapped in: every MFDATA metric the worker counts (files,
// bytes, errors, file timer, batches) also goes to the StepStatsRecorder, so the stats count exactly what
// the metrics count, with or without a statsd/InfluxDB sink.
import type { ExtraTags, MetricsClient } from '../metrics/client';
import { METRIC } from '../metrics/format';
import type { CountField, StepStatsRecorder } from './recorder';

const COUNTERS: Readonly<Record<string, CountField>> = {
  [METRIC.processedFiles]: 'processed',
  [METRIC.processedBytes]: 'bytes',
  [METRIC.processingErrors]: 'failed',
  [METRIC.processedBatches]: 'batches',
  [METRIC.batchErrors]: 'batchesFailed',
};

class RecordingMetrics implements MetricsClient {
  /** Always on: the worker then measures and counts even without a sink. */
  readonly enabled = true;

  constructor(private readonly inner: MetricsClient, private readonly recorder: StepStatsRecorder) {}

  counter(name: string, value = 1, extraTags?: ExtraTags): void {
    // Extra tags re-target a point (a retry give-up counted against another step): not this step's figure.
    const field = extraTags === undefined ? COUNTERS[name] : undefined;
    if (field !== undefined) this.recorder.add(field, value);
    if (this.inner.enabled) this.inner.counter(name, value, extraTags);
  }

  timer(name: string, ms: number, extraTags?: ExtraTags): void {
    if (extraTags === undefined) {
      if (name === METRIC.fileTimer) this.recorder.fileTime(ms);
      else if (name === METRIC.batchTimer) this.recorder.add('batchMsSum', ms);
    }
    if (this.inner.enabled) this.inner.timer(name, ms, extraTags);
  }

  gauge(name: string, value: number, extraTags?: ExtraTags): void {
    if (this.inner.enabled) this.inner.gauge(name, value, extraTags);
  }

  async close(): Promise<void> {
    await Promise.all([this.recorder.close(), this.inner.close()]);
  }
}

/** `inner` (the sinks, or the disabled client) plus the step stats. Give step code `inner`, not this. */
export function withStepStats(inner: MetricsClient, recorder: StepStatsRecorder): MetricsClient {
  return new RecordingMetrics(inner, recorder);
}
