// The InfluxDB v2 write API (/api/v2/write): InfluxDB 1.6, the one packaged here, does not serve it, so a small real HTTP
// server records each request and the test asserts it exactly: path, query, Authorization header, body.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { InfluxSink } from '../../runtime/metrics/influx-sink';
import { baseTags } from '../../runtime/metrics/client';
import { influxTarget, timestampIn } from '../../runtime/metrics/influx-target';

interface Received { method: string; url: string; headers: http.IncomingHttpHeaders; body: string; at: number }

/** Records every request; answers with the next of `answers` (the last repeats). */
async function recorder(answers: Array<{ status: number; body?: string; headers?: Record<string, string> }>): Promise<{ base: string; requests: Received[]; close(): Promise<void> }> {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, at: Date.now() });
      const a = answers.length > 1 ? answers.shift()! : answers[0];
      res.writeHead(a.status, a.headers ?? {});
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { base: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const TAGS = baseTags('h', 'p', 'main');

test('v2: POST /api/v2/write?org&bucket&precision with "Authorization: Token …" and line protocol in that precision', async (t) => {
  const influx = await recorder([{ status: 204 }]);
  t.after(() => influx.close());
  const sink = new InfluxSink({
    url: `${influx.base}/`, api: 'v2', org: 'acme corp', bucket: 'mfdata', token: 'tok=en', precision: 's',
    flushIntervalMs: 3_600_000, bufferSize: 100, warn: () => undefined, now: () => 1700000000987,
  });
  sink.record('counter', 'number_of_processed_files', TAGS, 1);
  sink.record('counter', 'number_of_processed_files', TAGS, 1);
  sink.point('metwork_version', [['modname', 'mfdata'], ['bypassbasicstats', '1']], [['version', '1.0.0'], ['status', 'RUNNING'], ['status_code', 0]]);
  await sink.flush();
  await sink.close();
  assert.equal(influx.requests.length, 1);
  const [req] = influx.requests;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/api/v2/write?org=acme+corp&bucket=mfdata&precision=s');
  assert.equal(req.headers.authorization, 'Token tok=en');
  assert.equal(req.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(req.body, [
    'number_of_processed_files,module=mfdata,host=h,plugin=p,step=main value=2 1700000000',
    'metwork_version,modname=mfdata,bypassbasicstats=1 version="1.0.0",status="RUNNING",status_code=0 1700000000',
    '',
  ].join('\n'));
});

test('v2: a 401 keeps the batch and warns once with InfluxDB\'s message; a 429 with Retry-After holds the next send back', async (t) => {
  const influx = await recorder([
    { status: 401, body: '{"code":"unauthorized","message":"unauthorized access"}' },
    { status: 429, body: '', headers: { 'retry-after': '1' } },
    { status: 204 },
  ]);
  t.after(() => influx.close());
  const warnings: Array<{ event: string; fields: Record<string, string | number> }> = [];
  const sink = new InfluxSink({
    url: influx.base, api: 'v2', org: 'o', bucket: 'b', token: 'bad', flushIntervalMs: 3_600_000, bufferSize: 100, warn: (event, fields) => warnings.push({ event, fields }),
  });
  sink.record('counter', 'm', TAGS, 1);
  await sink.flush();
  assert.deepEqual(sink.stats(), { buffered: 1, dropped: 0 });
  assert.equal(warnings.length, 1);
  assert.match(String(warnings[0].fields.reason), /^HTTP 401: .*unauthorized access/);
  await sink.flush();
  assert.equal(influx.requests.length, 2, 'the 429 answer');
  const answeredAt = Date.now();
  await sink.flush();
  assert.equal(influx.requests.length, 2, 'no send while Retry-After runs');
  while (influx.requests.length < 3 && Date.now() - answeredAt < 20_000) {
    await new Promise((r) => setTimeout(r, 100));
    await sink.flush();
  }
  assert.equal(influx.requests.length, 3);
  assert.ok(influx.requests[2].at - influx.requests[1].at >= 900, 'the retry waited for Retry-After: 1');
  assert.equal(influx.requests[2].body, influx.requests[0].body, 'the same batch, resent');
  assert.deepEqual(sink.stats(), { buffered: 0, dropped: 0 });
  assert.equal(warnings.length, 2);
  assert.match(warnings[1].event, /accepts points again/);
  await sink.close();
});

test('write targets: v1 keeps its URL and adds precision in 1.x spelling; v2 appends /api/v2/write once; bad settings say why', () => {
  const base = { api: 'v1' as const, org: '', bucket: '', token: '', precision: 'ns' as const };
  assert.equal(influxTarget({ ...base, url: 'http://i:8086/write?db=m' }).url.href, 'http://i:8086/write?db=m');
  assert.equal(influxTarget({ ...base, url: 'http://i:8086/write?db=m', precision: 'us' }).url.href, 'http://i:8086/write?db=m&precision=u');
  assert.equal(influxTarget({ ...base, url: 'http://i:8086/write?db=m' }).headers.authorization, undefined);
  const v2 = { ...base, api: 'v2' as const, org: 'o', bucket: 'b', token: 't' };
  assert.equal(influxTarget({ ...v2, url: 'https://i:8086/prefix/' }).url.href, 'https://i:8086/prefix/api/v2/write?org=o&bucket=b&precision=ns');
  assert.equal(influxTarget({ ...v2, url: 'http://i/api/v2/write' }).url.pathname, '/api/v2/write');
  assert.throws(() => influxTarget({ ...v2, bucket: '', url: 'http://i' }), /needs influxdb_org and influxdb_bucket/);
  assert.throws(() => influxTarget({ ...base, url: 'influx:8086' }), /not an http\(s\) URL/);
  assert.throws(() => influxTarget({ ...base, url: 'nope' }), /not a URL/);
  assert.deepEqual(['ns', 'us', 'ms', 's'].map((p) => timestampIn(1700000000987.6, p as 'ns')), ['1700000000987000000', '1700000000987000', '1700000000987', '1700000000']);
  // Two workers of a step flushing in the same millisecond: their salts (pids) keep the points apart.
  assert.deepEqual([timestampIn(1700000000987, 'ns', 4242), timestampIn(1700000000987, 'us', 4242)], ['1700000000987004242', '1700000000987242']);
});
