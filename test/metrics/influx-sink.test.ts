// The InfluxDB sink POSTs line protocol batches to a real HTTP server: retried after a 500, bounded while refused.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { createMetrics } from '../../runtime/metrics/client';
import { InfluxSink } from '../../runtime/metrics/influx-sink';
import { baseTags } from '../../runtime/metrics/client';
import { METRICS_OFF } from '../../runtime/metrics/settings';
import { waitFor } from '../datapath/harness';

interface Received { method: string; url: string; body: string }

/** A small InfluxDB stand-in: answers each write with the next status of `statuses` (the last one repeats). */
async function fakeInflux(statuses: number[]): Promise<{ url: string; requests: Received[]; statuses: number[]; close(): Promise<void> }> {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.statusCode = statuses.length > 1 ? (statuses.shift() as number) : statuses[0];
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/write?db=metrics`, requests, statuses,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const TAGS = baseTags('h', 'p', 'main');
const SERIES = 'module=mfdata,host=h,plugin=p,step=main';

test('points of an interval arrive as one aggregated line-protocol batch; after a 500 the same batch is sent again', async (t) => {
  const influx = await fakeInflux([500, 204]);
  const warnings: string[] = [];
  const metrics = createMetrics(
    { ...METRICS_OFF, influxdbUrl: influx.url, host: 'h', influxdbFlushInterval: 0.05, influxdbBufferSize: 100 },
    'p', 'main', (event) => warnings.push(event),
  );
  t.after(async () => { await metrics.close(); await influx.close(); });
  assert.equal(metrics.enabled, true);
  metrics.counter('number_of_processed_files');
  metrics.counter('number_of_processed_files');
  metrics.counter('bytes_of_processed_files', 11);
  metrics.timer('processing_file_timer', 4);
  metrics.timer('processing_file_timer', 8);
  metrics.gauge('depth', 3, { queue: 'q' });
  await waitFor('the batch sent twice', () => influx.requests.length >= 2);
  const [first, second] = influx.requests;
  assert.equal(first.method, 'POST');
  assert.equal(first.url, '/write?db=metrics');
  assert.equal(second.body, first.body);
  const lines = first.body.trimEnd().split('\n').map((l) => l.replace(/ \d{19}$/, ' <ns>'));
  assert.deepEqual(lines, [
    `number_of_processed_files,${SERIES} value=2 <ns>`,
    `bytes_of_processed_files,${SERIES} value=11 <ns>`,
    `processing_file_timer,${SERIES} count=2,lower=4,mean=6,sum=12,upper=8 <ns>`,
    `depth,${SERIES},queue=q value=3 <ns>`,
  ]);
  // One warning for the outage, one when it ends: not one per retry.
  await waitFor('recovery noted', () => warnings.length === 2);
  assert.match(warnings[0], /write failed; retrying/);
  assert.match(warnings[1], /accepts points again/);
});

test('while InfluxDB refuses writes the buffer keeps the newest lines, drops the oldest and says how many', async (t) => {
  const influx = await fakeInflux([503]);
  const warnings: Array<{ event: string; fields: Record<string, string | number> }> = [];
  const sink = new InfluxSink({ url: influx.url, flushIntervalMs: 3_600_000, bufferSize: 3, warn: (event, fields) => warnings.push({ event, fields }), now: () => 1700000000000, timestampSalt: 0 });
  t.after(async () => { await influx.close(); });
  for (const n of [1, 2]) sink.record('counter', `m${n}`, TAGS, n);
  await sink.flush();
  for (const n of [3, 4, 5]) sink.record('counter', `m${n}`, TAGS, n);
  await sink.flush();
  assert.deepEqual(sink.stats(), { buffered: 3, dropped: 2 });
  const drop = warnings.find((w) => /buffer full/.test(w.event));
  assert.deepEqual(drop?.fields, { dropped: 2, dropped_total: 2, buffer_size: 3, url: influx.url });
  // InfluxDB is back: the next flush sends the three newest lines, oldest first.
  influx.statuses.splice(0, 1, 204);
  await sink.flush();
  assert.deepEqual(influx.requests.at(-1)?.body.trimEnd().split('\n'), [3, 4, 5].map((n) => `m${n},${SERIES} value=${n} 1700000000000000000`));
  assert.deepEqual(sink.stats(), { buffered: 0, dropped: 2 });
  await sink.close();
});

test('a batch InfluxDB rejects as bad (400) is dropped with a warning instead of being resent forever', async (t) => {
  const influx = await fakeInflux([400, 204]);
  const warnings: string[] = [];
  const sink = new InfluxSink({ url: influx.url, flushIntervalMs: 3_600_000, bufferSize: 10, warn: (event) => warnings.push(event) });
  t.after(async () => { await influx.close(); });
  sink.record('counter', 'm', TAGS, 1);
  await sink.flush();
  assert.deepEqual(sink.stats(), { buffered: 0, dropped: 0 });
  assert.match(warnings[0], /rejected a batch; dropped/);
  await sink.close();
  assert.equal(influx.requests.length, 1);
});

test('closing the sink sends the points not flushed yet; an unreachable InfluxDB only costs a warning', async () => {
  const influx = await fakeInflux([204]);
  const sink = new InfluxSink({ url: influx.url, flushIntervalMs: 3_600_000, bufferSize: 10, warn: () => undefined });
  sink.record('counter', 'last', TAGS, 1);
  await sink.close();
  assert.equal(influx.requests.length, 1);
  assert.match(influx.requests[0].body, /^last,/);
  await influx.close();
  const warnings: string[] = [];
  const down = new InfluxSink({ url: influx.url, flushIntervalMs: 3_600_000, bufferSize: 10, warn: (event) => warnings.push(event) });
  down.record('counter', 'lost', TAGS, 1);
  await down.close();
  assert.ok(warnings.some((w) => /write failed/.test(w)) && warnings.some((w) => /not sent at stop/.test(w)), warnings.join(' | '));
});

test('nothing configured: the disabled client, with no socket and no timer', () => {
  const metrics = createMetrics(METRICS_OFF, 'p', 's', () => undefined);
  assert.equal(metrics.enabled, false);
  assert.ok(Object.isFrozen(metrics));
  metrics.counter('x');
});
