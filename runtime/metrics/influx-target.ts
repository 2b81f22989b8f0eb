// Where and how the InfluxDB sink writes: the v1 `/write` or v2 `/api/v2/write` URL, its headers and the timestamp unit (pure).
import type { InfluxApi, InfluxPrecision } from './settings';

export interface InfluxTargetSettings {
  url: string;
  api: InfluxApi;
  org: string;
  bucket: string;
  token: string;
  precision: InfluxPrecision;
}

export interface InfluxTarget {
  /** The URL POSTed to. */
  url: URL;
  headers: Record<string, string>;
  precision: InfluxPrecision;
}

/** InfluxDB 1.x spells microseconds and nanoseconds `u` and `n` (1.6 knows no `us`); v2 takes the names as they are. */
const V1_PRECISION: Record<InfluxPrecision, string> = { ns: 'n', us: 'u', ms: 'ms', s: 's' };

/**
 * v1: the URL as written (it names the database), plus `precision` unless nanoseconds (the default).
 * v2: the server URL with `/api/v2/write?org=…&bucket=…&precision=…` and `Authorization: Token …`; a URL that
 * already ends in `/api/v2/write` is taken as is. Throws (with the reason) when the URL cannot be parsed or v2
 * lacks its org or bucket: the caller turns that into one warning, as config check reports it as an error.
 */
export function influxTarget(s: InfluxTargetSettings): InfluxTarget {
  let url: URL;
  try {
    url = new URL(s.url);
  } catch {
    throw new Error(`'${s.url}' is not a URL (e.g. http://influxdb:8086${s.api === 'v1' ? '/write?db=metrics' : ''})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`'${s.url}' is not an http(s) URL`);
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (s.api === 'v1') {
    if (s.precision !== 'ns') url.searchParams.set('precision', V1_PRECISION[s.precision]);
    return { url, headers, precision: s.precision };
  }
  if (!s.org || !s.bucket) throw new Error('influxdb_api = v2 needs influxdb_org and influxdb_bucket');
  if (!url.pathname.endsWith('/api/v2/write')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v2/write`;
  url.searchParams.set('org', s.org);
  url.searchParams.set('bucket', s.bucket);
  url.searchParams.set('precision', s.precision);
  if (s.token) headers.authorization = `Token ${s.token}`;
  return { url, headers, precision: s.precision };
}

/**
 * An epoch-milliseconds time in the given precision, as a decimal string (nanoseconds exceed 2^53). `salt` fills the
 * digits below the millisecond (ns: 6, us: 3): each worker of a step flushes the same series, and two points of one
 * series with the same timestamp overwrite each other in InfluxDB; a per-process salt keeps them apart.
 */
export function timestampIn(epochMs: number, precision: InfluxPrecision, salt = 0): string {
  const ms = Math.floor(epochMs);
  switch (precision) {
    case 's': return String(Math.floor(ms / 1000));
    case 'ms': return String(ms);
    case 'us': return `${ms}${String(Math.abs(salt) % 1000).padStart(3, '0')}`;
    default: return `${ms}${String(Math.abs(salt) % 1_000_000).padStart(6, '0')}`;
  }
}

/** The URL without credentials (v1 `u`/`p` query parameters, user info), for log records. */
export function safeInfluxUrl(url: URL): string {
  const u = new URL(url.href);
  u.username = '';
  u.password = '';
  if (u.searchParams.has('p')) u.searchParams.set('p', '***');
  return u.href;
}
