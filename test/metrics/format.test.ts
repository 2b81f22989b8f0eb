// Metric points are formatted as MFDATA emits them (statsd) and as InfluxDB reads them (line protocol), from plain data.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { epochNs, lineProtocol, mergeTags, METRIC, seriesKey, statsdLine } from '../../runtime/metrics/format';
import { Aggregator } from '../../runtime/metrics/aggregate';
import { LineBuffer } from '../../runtime/metrics/line-buffer';
import { baseTags } from '../../runtime/metrics/client';
import { METRICS_OFF, metricsEnv, metricsSettingsFromEnv, type MetricsSettings } from '../../runtime/metrics/settings';

const TAGS = baseTags('H', 'p', 'main');

test('statsd lines are byte for byte those of MFDATA: tags in the bucket name, module/host/plugin/step in that order', () => {
  assert.equal(statsdLine('counter', METRIC.processedFiles, TAGS, 1), 'number_of_processed_files,module=mfdata,host=H,plugin=p,step=main:1|c');
  assert.equal(statsdLine('counter', METRIC.processedBytes, TAGS, 11), 'bytes_of_processed_files,module=mfdata,host=H,plugin=p,step=main:11|c');
  assert.equal(statsdLine('counter', METRIC.processingErrors, TAGS, 1), 'number_of_processing_errors,module=mfdata,host=H,plugin=p,step=main:1|c');
  assert.equal(statsdLine('timer', METRIC.fileTimer, TAGS, 6.870975), 'processing_file_timer,module=mfdata,host=H,plugin=p,step=main:6.870975|ms');
  assert.equal(statsdLine('timer', METRIC.batchTimer, TAGS, 2), 'processing_batch_timer,module=mfdata,host=H,plugin=p,step=main:2.000000|ms');
  assert.equal(statsdLine('gauge', 'queue_depth', TAGS, 3.5), 'queue_depth,module=mfdata,host=H,plugin=p,step=main:3.5|g');
});

test('a negative gauge is set with a 0 first (a signed statsd gauge is a relative change)', () => {
  assert.equal(statsdLine('gauge', 'g', [['step', 's']], -2), 'g,step=s:0|g\ng,step=s:-2|g');
});

test('extra tags follow the base tags; one named like a base tag replaces its value in place', () => {
  assert.deepEqual(mergeTags(TAGS, { kind: 'csv', step: 'other' }), [['module', 'mfdata'], ['host', 'H'], ['plugin', 'p'], ['step', 'other'], ['kind', 'csv']]);
  assert.equal(mergeTags(TAGS, undefined), TAGS);
});

test('tag values that would break a bucket or a line are escaped or replaced; empty tags are left out', () => {
  assert.equal(seriesKey('m', [['k', 'a b,c=d'], ['e', '']]), 'm,k=a\\ b\\,c\\=d');
  // `:` and `|` end a statsd bucket, a newline a packet: no escape exists there, so they become `_`.
  assert.equal(statsdLine('counter', 'm', [['file', 'x:y|z\nw']], 1), 'm,file=x_y_z_w:1|c');
});

test('line protocol: series, float fields, nanosecond timestamp', () => {
  assert.equal(lineProtocol('m,a=b', [['value', 3], ['mean', 1.5]], epochNs(1700000000123)), 'm,a=b value=3,mean=1.5 1700000000123000000');
  assert.equal(lineProtocol('m', [['value', Number.NaN]], '1'), 'm value=0 1');
});

test('the InfluxDB aggregator folds an interval per series: counters summed, gauges last, timers count/lower/mean/sum/upper', () => {
  const a = new Aggregator();
  a.add('counter', METRIC.processedFiles, TAGS, 1);
  a.add('counter', METRIC.processedFiles, TAGS, 1);
  a.add('counter', METRIC.processedFiles, mergeTags(TAGS, { step: 'other' }), 1);
  a.add('timer', METRIC.fileTimer, TAGS, 2);
  a.add('timer', METRIC.fileTimer, TAGS, 6);
  a.add('gauge', 'depth', TAGS, 5);
  a.add('gauge', 'depth', TAGS, 4);
  const series = 'module=mfdata,host=H,plugin=p';
  assert.deepEqual(a.drain('7'), [
    `number_of_processed_files,${series},step=main value=2 7`,
    `number_of_processed_files,${series},step=other value=1 7`,
    `processing_file_timer,${series},step=main count=2,lower=2,mean=4,sum=8,upper=6 7`,
    `depth,${series},step=main value=4 7`,
  ]);
  assert.equal(a.size, 0);
  assert.deepEqual(a.drain('8'), []);
});

test('the line buffer keeps the newest lines: pushing past capacity drops the oldest and counts them', () => {
  const b = new LineBuffer(3);
  assert.equal(b.push(['a', 'b']), 0);
  assert.equal(b.push(['c', 'd', 'e']), 2);
  assert.deepEqual(b.peek(10), ['c', 'd', 'e']);
  assert.equal(b.droppedTotal, 2);
  // A batch of 2 was in flight while 1 more line pushed 1 old one out: only the batch's remaining line is removed.
  const sent = b.peek(2);
  assert.deepEqual(sent, ['c', 'd']);
  b.push(['f']);
  b.remove(sent.length, 1);
  assert.deepEqual(b.peek(10), ['e', 'f']);
  assert.throws(() => new LineBuffer(0), /at least 1/);
});

test('settings: no sink configured = no variables; configured sinks round-trip through the environment', () => {
  const none: MetricsSettings = { ...METRICS_OFF, host: 'h' };
  assert.deepEqual(metricsEnv(none), {});
  const both = { ...none, statsdHost: 'telegraf', statsdPort: 18126, influxdbUrl: 'http://i:8086/write?db=metrics', influxdbFlushInterval: 5, influxdbBufferSize: 50 };
  assert.deepEqual(metricsSettingsFromEnv(metricsEnv(both)), both);
  const v2: MetricsSettings = { ...none, influxdbUrl: 'http://i:8086', influxdbApi: 'v2', influxdbOrg: 'acme', influxdbBucket: 'mfdata', influxdbToken: 't0k', influxdbPrecision: 's' };
  assert.deepEqual(metricsSettingsFromEnv(metricsEnv(v2)), v2);
  // MFDATA's "null" admin host means no statsd; nonsense numbers fall back to the defaults.
  const odd = metricsSettingsFromEnv({ MFDATA_METRICS_STATSD_HOST: 'null', MFDATA_METRICS_STATSD_PORT: 'x', MFDATA_METRICS_INFLUXDB_BUFFER_SIZE: '-1' });
  assert.equal(odd.statsdHost, '');
  assert.equal(odd.statsdPort, 8125);
  assert.equal(odd.influxdbBufferSize, 10000);
});
