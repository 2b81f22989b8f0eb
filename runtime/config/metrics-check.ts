// Rules between the keys of mfdata.ini [metrics]: an InfluxDB v2 sink needs its org and bucket, and a URL shaped for the other API is flagged.
import type { ConfigProblem } from './errors';
import type { ResolvedSection, ResolvedValue } from './validate';

const at = (v: ResolvedValue, severity: ConfigProblem['severity'], code: string, message: string, hint: string): ConfigProblem => ({
  file: v.entry.file, line: v.entry.valueSpan.line, column: v.entry.valueSpan.column,
  endColumn: Math.max(v.entry.valueSpan.endColumn, v.entry.valueSpan.column + 1), severity, code, message, hint, key: v.entry.key, section: 'metrics',
});

export function metricsCrossProblems(r: ResolvedSection): ConfigProblem[] {
  const value = (key: string): string => { const v = r.values.get(key); return v && v.valid ? v.value.trim() : ''; };
  const url = r.values.get('influxdb_url');
  const api = r.values.get('influxdb_api');
  // A bad url or api value is already an error of its own: no guess about which API was meant.
  if (!url || !url.valid || url.value.trim() === '' || (api && !api.valid)) return [];
  const problems: ConfigProblem[] = [];
  let pathname = '';
  try { pathname = new URL(url.value.trim()).pathname; } catch { return []; }
  if (value('influxdb_api') === 'v2') {
    const missing = ['influxdb_org', 'influxdb_bucket'].filter((k) => value(k) === '');
    if (missing.length > 0 && api) {
      problems.push(at(api, 'error', 'influxdb-v2-incomplete', `influxdb_api = v2 needs ${missing.join(' and ')} in [metrics]`,
        `add ${missing.map((k) => `${k} = …`).join(' and ')} (the organization and bucket to write to), or set influxdb_api = v1`));
    }
    if (value('influxdb_token') === '' && api) {
      problems.push(at(api, 'warning', 'influxdb-v2-no-token', 'influxdb_api = v2 without influxdb_token: InfluxDB 2 answers 401 to writes without a token',
        'add influxdb_token = <an API token with write access to the bucket>'));
    }
    if (/\/write$/.test(pathname) && !pathname.endsWith('/api/v2/write')) {
      problems.push(at(url, 'error', 'influxdb-v2-url', `with influxdb_api = v2, influxdb_url is the server URL, not a v1 write URL ('${pathname}')`,
        'write the server only, e.g. http://influxdb:8086 (/api/v2/write?org=…&bucket=… is added)'));
    }
  } else {
    if (!/\/write$/.test(pathname)) {
      problems.push(at(url, 'warning', 'influxdb-v1-url', `influxdb_url should be InfluxDB's v1 write URL, ending in /write?db=<database> (path is '${pathname}')`,
        'e.g. http://influxdb:8086/write?db=metrics, or set influxdb_api = v2 with influxdb_org and influxdb_bucket'));
    }
    for (const key of ['influxdb_org', 'influxdb_bucket', 'influxdb_token']) {
      const v = r.values.get(key);
      if (v && v.valid && v.value.trim() !== '') {
        problems.push(at(v, 'warning', 'influxdb-v2-key-unused', `${key} is only used with influxdb_api = v2; with v1 it is ignored`,
          'set influxdb_api = v2, or remove the key (v1 credentials go in the URL: &u=<user>&p=<password>)'));
      }
    }
  }
  return problems;
}
