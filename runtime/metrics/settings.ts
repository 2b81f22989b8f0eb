// The metrics settings of a process: from `[metrics]` of mfdata.ini to MFDATA_METRICS_* variables and back.

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
  /** `v1`: influxdbUrl is the whole `/write` URL; `v2`: it is the server, `/api/v2/write` is appended. */
  influxdbApi: InfluxApi;
  influxdbOrg: string;
  influxdbBucket: string;
  influxdbToken: string;
  influxdbPrecision: InfluxPrecision;
}

export type InfluxApi = 'v1' | 'v2';
export type InfluxPrecision = 'ns' | 'us' | 'ms' | 's';
const PRECISIONS: readonly InfluxPrecision[] = ['ns', 'us', 'ms', 's'];

export const METRICS_ENV = {
  statsdHost: 'MFDATA_METRICS_STATSD_HOST',
  statsdPort: 'MFDATA_METRICS_STATSD_PORT',
  influxdbUrl: 'MFDATA_METRICS_INFLUXDB_URL',
  host: 'MFDATA_METRICS_HOST',
  influxdbFlushInterval: 'MFDATA_METRICS_INFLUXDB_FLUSH_INTERVAL',
  influxdbBufferSize: 'MFDATA_METRICS_INFLUXDB_BUFFER_SIZE',
  influxdbApi: 'MFDATA_METRICS_INFLUXDB_API',
  influxdbOrg: 'MFDATA_METRICS_INFLUXDB_ORG',
  influxdbBucket: 'MFDATA_METRICS_INFLUXDB_BUCKET',
  influxdbToken: 'MFDATA_METRICS_INFLUXDB_TOKEN',
  influxdbPrecision: 'MFDATA_METRICS_INFLUXDB_PRECISION',
} as const;

const DEFAULTS = { statsdPort: 8125, influxdbFlushInterval: 10, influxdbBufferSize: 10000 };

/** Every default, no sink: what a process without MFDATA_METRICS_* variables runs with. */
export const METRICS_OFF: Readonly<MetricsSettings> = Object.freeze({
  statsdHost: '', statsdPort: DEFAULTS.statsdPort, influxdbUrl: '', host: '', influxdbFlushInterval: DEFAULTS.influxdbFlushInterval,
  influxdbBufferSize: DEFAULTS.influxdbBufferSize, influxdbApi: 'v1', influxdbOrg: '', influxdbBucket: '', influxdbToken: '', influxdbPrecision: 'ns',
});

/**
 * The variables a step process gets. Nothing at all when no sink is configured, so a runtime without metrics
 * has the same environment (and fingerprints) as before metrics existed.
 */
export function metricsEnv(m: MetricsSettings): Record<string, string> {
  const env: Record<string, string> = {};
  if (m.statsdHost) {
    env[METRICS_ENV.statsdHost] = m.statsdHost;
    env[METRICS_ENV.statsdPort] = String(m.statsdPort);
  }
  if (m.influxdbUrl) {
    env[METRICS_ENV.influxdbUrl] = m.influxdbUrl;
    env[METRICS_ENV.influxdbFlushInterval] = String(m.influxdbFlushInterval);
    env[METRICS_ENV.influxdbBufferSize] = String(m.influxdbBufferSize);
    // Only what differs from v1 and nanoseconds: a v1 setup keeps the environment (and fingerprints) it had.
    if (m.influxdbPrecision !== 'ns') env[METRICS_ENV.influxdbPrecision] = m.influxdbPrecision;
    if (m.influxdbApi === 'v2') {
      env[METRICS_ENV.influxdbApi] = 'v2';
      env[METRICS_ENV.influxdbOrg] = m.influxdbOrg;
      env[METRICS_ENV.influxdbBucket] = m.influxdbBucket;
      if (m.influxdbToken) env[METRICS_ENV.influxdbToken] = m.influxdbToken;
    }
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
    influxdbApi: env[METRICS_ENV.influxdbApi] === 'v2' ? 'v2' : 'v1',
    influxdbOrg: (env[METRICS_ENV.influxdbOrg] ?? '').trim(),
    influxdbBucket: (env[METRICS_ENV.influxdbBucket] ?? '').trim(),
    influxdbToken: (env[METRICS_ENV.influxdbToken] ?? '').trim(),
    influxdbPrecision: PRECISIONS.find((p) => p === env[METRICS_ENV.influxdbPrecision]) ?? 'ns',
  };
}

export function metricsConfigured(s: MetricsSettings): boolean {
  return s.statsdHost !== '' || s.influxdbUrl !== '';
}
