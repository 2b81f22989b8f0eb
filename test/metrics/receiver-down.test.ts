// InfluxDB down must never slow or block the data path: a real worker whose InfluxDB accepts connections and never answers
// (a blackhole), or refuses them (a closed port), processes every file to completion; its buffer stays at its bound, and
// drops are logged once per flush interval, not once per file.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { freePort } from '../helpers/influxdb-server';
import { makeHome, startWorker, waitFor, writePlugin } from '../datapath/harness';
import { encodeMessage, messageFor } from '../../runtime/queue/message';

/** Accepts TCP connections and never answers nor closes them. */
async function blackhole(): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  const sockets: net.Socket[] = [];
  let count = 0;
  const server = net.createServer((s) => { count++; sockets.push(s); s.on('error', () => undefined); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

const FILES = 300;
const BUFFER = 6;

/** One worker through FILES files, each file its own series (a per-file tag) so the buffer overflows fast. */
async function run(t: { after(fn: () => Promise<void>): void }, influxUrl: string): Promise<Array<Record<string, unknown>>> {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const source = `import { defineStep } from 'mfdata';
export const step = defineStep({ process(file, ctx) { ctx.metrics.counter('seen', 1, { name: file.originalBasename }); return true; } });`;
  const plugin = writePlugin(home, 'p', [{ name: 'main', source }]);
  const inbox = plugin.steps[0].watchedDirectories[0];
  const worker = startWorker(home, 'p', 'main', {
    MFDATA_REDIS_UNIX_SOCKET: redis.socket, MFDATA_METRICS_INFLUXDB_URL: influxUrl,
    MFDATA_METRICS_INFLUXDB_FLUSH_INTERVAL: '0.2', MFDATA_METRICS_INFLUXDB_BUFFER_SIZE: String(BUFFER),
  });
  t.after(async () => { await worker.stop(); client.disconnect(); await redis.stop(); home.cleanup(); });
  await waitFor('worker started', () => worker.records.some((r) => r.event === 'worker started'));
  // In waves, so that several flush intervals pass while files are processed.
  for (let wave = 0; wave < 3; wave++) {
    const messages: string[] = [];
    for (let i = wave * (FILES / 3); i < (wave + 1) * (FILES / 3); i++) {
      fs.writeFileSync(path.join(inbox, `f${i}`), 'x');
      messages.push(encodeMessage(messageFor(inbox, `f${i}`, 'created')));
    }
    await client.lpush('step.p.main', ...messages);
    await waitFor(`wave ${wave} processed`, async () => Number(await client.get('counter.p.main')) >= (wave + 1) * (FILES / 3), 60_000);
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(await client.get('counter.p.main'), String(FILES));
  assert.deepEqual(fs.readdirSync(inbox), []);
  assert.equal(worker.child.exitCode, null, worker.stderr());
  return worker.records;
}

test('InfluxDB a blackhole: every file is processed, the buffer stays at its bound, one drop warning per interval at most', { timeout: 90_000 }, async (t) => {
  const hole = await blackhole();
  t.after(() => hole.close());
  const started = Date.now();
  const records = await run(t, `http://127.0.0.1:${hole.port}/write?db=metrics`);
  const elapsedSeconds = (Date.now() - started) / 1000;
  const drops = records.filter((r) => r.event === 'metrics buffer full: dropped the oldest points (InfluxDB not accepting them)');
  assert.ok(drops.length >= 1, 'the buffer overflowed');
  assert.ok(drops.length < FILES / 10, `${drops.length} drop warnings for ${FILES} files: per interval, not per file`);
  for (const d of drops) assert.equal(d.buffer_size, BUFFER);
  const totals = drops.map((d) => Number(d.dropped_total));
  assert.deepEqual(totals, [...totals].sort((a, b) => a - b), 'dropped_total only grows');
  // Every series but the BUFFER newest was dropped, so what is held is exactly the bound.
  assert.ok(totals.at(-1)! >= FILES - BUFFER - 50, `dropped_total ${totals.at(-1)}`);
  // A write hangs until its 5 s timeout; while it is in flight no other starts: one connection per 5 s, not one per flush.
  assert.ok(hole.connections() <= Math.ceil(elapsedSeconds / 5) + 1, `${hole.connections()} connections in ${elapsedSeconds} s`);
});

test('InfluxDB port closed: every file is processed and the outage is one warning, not one per flush', { timeout: 90_000 }, async (t) => {
  const port = await freePort();
  const records = await run(t, `http://127.0.0.1:${port}/write?db=metrics`);
  const failures = records.filter((r) => typeof r.event === 'string' && /InfluxDB write failed/.test(r.event));
  assert.equal(failures.length, 1, JSON.stringify(failures));
  assert.match(String(failures[0].reason), /ECONNREFUSED/);
});
