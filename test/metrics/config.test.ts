// [metrics] of mfdata.ini reaches a step's environment as MFDATA_METRICS_* variables, and only when a sink is configured.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadModuleConfig } from '../../runtime/config/module-config';
import { stepEnv } from '../../runtime/config/generate/plugin-env';
import { METRICS_OFF, metricsSettingsFromEnv } from '../../runtime/metrics/settings';
import { makeHome, writePlugin } from '../datapath/harness';

function envFor(ini: string | undefined): Record<string, string> {
  const t = makeHome();
  try {
    if (ini !== undefined) fs.writeFileSync(path.join(t.dir, 'mfdata.ini'), ini);
    const { module, problems } = loadModuleConfig(t.dir, { env: {}, home: t.home.root });
    assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
    const plugin = writePlugin(t, 'p', [{ name: 'main', source: 'export function process() { return true; }' }]);
    return stepEnv(plugin, plugin.steps[0], module, t.home.root);
  } finally {
    t.cleanup();
  }
}

test('without [metrics] a step gets no metrics variable (its environment is as before metrics existed)', () => {
  const env = envFor(undefined);
  assert.deepEqual(Object.keys(env).filter((k) => k.startsWith('MFDATA_METRICS_')), []);
  assert.equal(metricsSettingsFromEnv(env).statsdHost, '');
});

test('[metrics] statsd_host, port, host and the InfluxDB keys reach the worker through its environment', () => {
  const env = envFor('[metrics]\nstatsd_host = 127.0.0.1\nstatsd_port = 18126\nhost = edge-7\ninfluxdb_url = http://influx:8086/write?db=metrics\ninfluxdb_flush_interval = 5\ninfluxdb_buffer_size = 200\n');
  assert.deepEqual(metricsSettingsFromEnv(env), {
    ...METRICS_OFF, statsdHost: '127.0.0.1', statsdPort: 18126, host: 'edge-7', influxdbUrl: 'http://influx:8086/write?db=metrics', influxdbFlushInterval: 5, influxdbBufferSize: 200,
  });
});

test('a bad [metrics] value is a config problem with its key, not a silent default', () => {
  const t = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-metrics-cfg-'));
  try {
    fs.writeFileSync(path.join(t, 'mfdata.ini'), '[metrics]\ninfluxdb_flush_interval = 0\n');
    const { problems } = loadModuleConfig(t, { env: {}, home: path.join(t, 'home') });
    assert.ok(problems.some((p) => p.severity === 'error' && p.line === 2 && /influxdb_flush_interval/.test(p.message + (p.hint ?? ''))), JSON.stringify(problems));
  } finally {
    fs.rmSync(t, { recursive: true, force: true });
  }
});

function problemsOf(ini: string): Array<{ severity: string; line: number; key?: string; code: string; message: string; file: string }> {
  const t = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-metrics-cfg-'));
  try {
    fs.writeFileSync(path.join(t, 'mfdata.ini'), ini);
    return loadModuleConfig(t, { env: {}, home: path.join(t, 'home') }).problems.map((p) => ({ ...p, file: path.basename(p.file) }));
  } finally {
    fs.rmSync(t, { recursive: true, force: true });
  }
}

test('influxdb_api = v2 reaches the worker with org, bucket, token and precision', () => {
  const env = envFor('[metrics]\ninfluxdb_url = http://influx:8086\ninfluxdb_api = v2\ninfluxdb_org = acme\ninfluxdb_bucket = mfdata\ninfluxdb_token = s3cret\ninfluxdb_precision = s\n');
  const s = metricsSettingsFromEnv(env);
  assert.deepEqual([s.influxdbApi, s.influxdbOrg, s.influxdbBucket, s.influxdbToken, s.influxdbPrecision], ['v2', 'acme', 'mfdata', 's3cret', 's']);
});

test('v2 without org and bucket is an error on the influxdb_api line naming both keys; a bad api or precision names its key', () => {
  const v2 = problemsOf('[metrics]\ninfluxdb_url = http://influx:8086\ninfluxdb_api = v2\n');
  const missing = v2.find((p) => p.code === 'influxdb-v2-incomplete');
  assert.ok(missing && missing.severity === 'error' && missing.line === 3 && missing.key === 'influxdb_api' && missing.file === 'mfdata.ini', JSON.stringify(v2));
  assert.match(missing.message, /influxdb_org and influxdb_bucket/);
  assert.ok(v2.some((p) => p.code === 'influxdb-v2-no-token' && p.severity === 'warning'));
  const bad = problemsOf('[metrics]\ninfluxdb_url = http://influx:8086\ninfluxdb_api = v3\ninfluxdb_precision = h\n');
  assert.deepEqual(bad.filter((p) => p.severity === 'error').map((p) => [p.line, p.code]), [[3, 'bad-enum'], [4, 'bad-enum']]);
  assert.match(bad[0].message, /influxdb_api.*v1, v2/);
});

test('a URL shaped for the other API is flagged: a v1 write URL under v2 (error), a bare server URL under v1 (warning)', () => {
  const v2 = problemsOf('[metrics]\ninfluxdb_url = http://influx:8086/write?db=metrics\ninfluxdb_api = v2\ninfluxdb_org = o\ninfluxdb_bucket = b\ninfluxdb_token = t\n');
  assert.deepEqual(v2.map((p) => [p.severity, p.line, p.code]), [['error', 2, 'influxdb-v2-url']]);
  const v1 = problemsOf('[metrics]\ninfluxdb_url = http://influx:8086\ninfluxdb_org = o\n');
  assert.deepEqual(v1.map((p) => [p.severity, p.line, p.code]), [['warning', 2, 'influxdb-v1-url'], ['warning', 3, 'influxdb-v2-key-unused']]);
  assert.deepEqual(problemsOf('[metrics]\ninfluxdb_url = http://influx:8086/write?db=metrics\n'), []);
});
