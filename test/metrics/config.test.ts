// [metrics] of mfdata.ini reaches a step's environment as MFDATA_METRICS_* variables, and only when a sink is configured.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadModuleConfig } from '../../runtime/config/module-config';
import { stepEnv } from '../../runtime/config/generate/plugin-env';
import { metricsSettingsFromEnv } from '../../runtime/metrics/settings';
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
    statsdHost: '127.0.0.1', statsdPort: 18126, host: 'edge-7', influxdbUrl: 'http://influx:8086/write?db=metrics', influxdbFlushInterval: 5, influxdbBufferSize: 200,
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
