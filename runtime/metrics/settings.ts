// The metrics settings of a process: from `[metrics]` of mfdata.ini to MFDATA_METRICS_* variables and back.
import type { ModuleConfig } from '../config/model';

export interface MetricsSettings {
  /** statsd/Telegraf host; empty = no statsd sink. */
  statsdHost: string;
  statsdPort: number;
  /** InfluxDB v1 write URL (`.../write?db=metrics`); empty = no InfluxDB sink. */
  influxdbUrl: string;
  /** Value of the `host` tag; empty = this machine's host name. */
  host: string;
  influxdbFlushInterval: number;
  influxdbBufferSize: number;
}

export const METRICS_ENV = {
  statsdHost: 'MFDATA_METRICS_STATSD_HOST',
  statsdPort: 'MFDATA_METRICS_STATSD_PORT',
  influxdbUrl: 'MFDATA_METRICS_INFLUXDB_URL',
  host: 'MFDATA_METRICS_HOST',
  influxdbFlushInterval: 'MFDATA_METRICS_INFLUXDB_FLUSH_INTERVAL',
  influxdbBufferSize: 'MFDATA_METRICS_INFLUXDB_BUFFER_SIZE',
} as const;

const DEFAULTS = { statsdPort: 8125, influxdbFlushInterval: 10, influxdbBufferSize: 10000 };

/**
 * The variables a step process gets. Nothing at all when no sink is configured, so a runtime without metrics
 * has the same environment (and fingerprints) as before metrics existed.
 */
export function metricsEnv(m: ModuleConfig['metrics']): Record<string, string> {
  const env: Record<string, string> = {};
  if (m.statsdHost) {
    env[METRICS_ENV.statsdHost] = m.statsdHost;
    env[METRICS_ENV.statsdPort] = String(m.statsdPort);
  }
  if (m.influxdbUrl) {
    env[METRICS_ENV.influxdbUrl] = m.influxdbUrl;
    env[METRICS_ENV.influxdbFlushInterval] = String(m.influxdbFlushInterval);
    env[METRICS_ENV.influxdbBufferSize] = String(m.influxdbBufferSize);
  }
  if ((m.statsdHost || m.influxdbUrl) && m.host) env[METRICS_ENV.host] = m.host;
  return env;
}

function positive(text: string | undefined, def: number): number {
  const n = Number(text);
  return text !== undefined && text.trim() !== '' && Number.isFinite(n) && n > 0 ? n : def;
}

export function metricsSettingsFromEnv(env: NodeJS.ProcessEnv): MetricsSettings {
  const port = positive(env[METRICS_ENV.statsdPort], DEFAULTS.statsdPort);
  return {
    // MFDATA's "null" means "not configured" for its admin host.
    statsdHost: env[METRICS_ENV.statsdHost] === 'null' ? '' : (env[METRICS_ENV.statsdHost] ?? '').trim(),
    statsdPort: Number.isInteger(port) && port < 65536 ? port : DEFAULTS.statsdPort,
    influxdbUrl: (env[METRICS_ENV.influxdbUrl] ?? '').trim(),
    host: (env[METRICS_ENV.host] ?? '').trim(),
    influxdbFlushInterval: positive(env[METRICS_ENV.influxdbFlushInterval], DEFAULTS.influxdbFlushInterval),
    influxdbBufferSize: Math.floor(positive(env[METRICS_ENV.influxdbBufferSize], DEFAULTS.influxdbBufferSize)),
  };
}

export function metricsConfigured(s: MetricsSettings): boolean {
  return s.statsdHost !== '' || s.influxdbUrl !== '';
}
