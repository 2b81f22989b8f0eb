// The metrics client of a step process: MFDATA's base tags (module, host, plugin, step) on every point, sent to the
// configured sinks; a no-op object when none is configured, so a runtime without metrics pays nothing.
import * as os from 'node:os';
import type { StepMetrics } from '../api/types';
import { mergeTags, type MetricKind, type Tags } from './format';
import { InfluxSink } from './influx-sink';
import { metricsConfigured, type MetricsSettings } from './settings';
import type { MetricsSink, MetricsWarn } from './sink';
import { StatsdSink } from './statsd-sink';

export type ExtraTags = Readonly<Record<string, string | number>>;

export interface MetricsClient extends StepMetrics {
  close(): Promise<void>;
}

const noop = (): void => undefined;

/** The disabled client: no socket, no timer, every call returns at once. */
export const DISABLED_METRICS: MetricsClient = Object.freeze({
  enabled: false,
  counter: noop,
  timer: noop,
  gauge: noop,
  close: () => Promise.resolve(),
});

class SinkMetrics implements MetricsClient {
  readonly enabled = true;

  constructor(private readonly sinks: readonly MetricsSink[], private readonly tags: Tags) {}

  counter(name: string, value = 1, extraTags?: ExtraTags): void {
    this.record('counter', name, value, extraTags);
  }

  timer(name: string, ms: number, extraTags?: ExtraTags): void {
    this.record('timer', name, ms, extraTags);
  }

  gauge(name: string, value: number, extraTags?: ExtraTags): void {
    this.record('gauge', name, value, extraTags);
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.close()));
  }

  private record(kind: MetricKind, name: string, value: number, extraTags: ExtraTags | undefined): void {
    // Step code calls this: a bad name or value must not become an exception in its process().
    if (typeof name !== 'string' || name === '' || typeof value !== 'number') return;
    const tags = mergeTags(this.tags, extraTags);
    for (const sink of this.sinks) sink.record(kind, name, tags, value);
  }
}

/** MFDATA's base tags, in its order. */
export function baseTags(host: string, plugin: string, step: string): Tags {
  return [['module', 'mfdata'], ['host', host], ['plugin', plugin], ['step', step]];
}

/** The sinks the settings name (none when nothing is configured); a sink that cannot be set up is one warning. */
export function createSinks(settings: MetricsSettings, warn: MetricsWarn): MetricsSink[] {
  const sinks: MetricsSink[] = [];
  if (settings.statsdHost) sinks.push(new StatsdSink(settings.statsdHost, settings.statsdPort, warn));
  if (settings.influxdbUrl) {
    try {
      sinks.push(new InfluxSink({
        url: settings.influxdbUrl, flushIntervalMs: settings.influxdbFlushInterval * 1000, bufferSize: settings.influxdbBufferSize, warn,
        api: settings.influxdbApi, org: settings.influxdbOrg, bucket: settings.influxdbBucket, token: settings.influxdbToken, precision: settings.influxdbPrecision,
      }));
    } catch (err) {
      warn('metrics: the InfluxDB settings cannot be used; InfluxDB metrics are off', { url: settings.influxdbUrl, api: settings.influxdbApi, reason: (err as Error).message });
    }
  }
  return sinks;
}

export function createMetrics(settings: MetricsSettings, plugin: string, step: string, warn: MetricsWarn): MetricsClient {
  if (!metricsConfigured(settings)) return DISABLED_METRICS;
  const sinks = createSinks(settings, warn);
  if (sinks.length === 0) return DISABLED_METRICS;
  return new SinkMetrics(sinks, baseTags(settings.host || os.hostname(), plugin, step));
}
