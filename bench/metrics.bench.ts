// Benchmark of the metrics cost per file: what a worker does per file for metrics (two counters with the file's
// size, one timer), disabled vs the statsd sink to a real UDP listener, in process; then a real worker's CPU per
// file and files/s through a whole queue: metrics off, statsd, and receivers down (statsd to a closed UDP port,
// InfluxDB on a closed TCP port, InfluxDB a blackhole that accepts and never answers); then the memory a full
// InfluxDB buffer holds. Prints figures; asserts nothing.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { baseTags, createMetrics, type MetricsClient } from '../runtime/metrics/client';
import { InfluxSink } from '../runtime/metrics/influx-sink';
import { METRIC } from '../runtime/metrics/format';
import { METRICS_OFF, type MetricsSettings } from '../runtime/metrics/settings';
import { startTestRedis } from '../test/helpers/redis-server';
import { makeHome, startWorker, waitFor, writePlugin } from '../test/datapath/harness';
import { encodeMessage, messageFor } from '../runtime/queue/message';

const CALLS = Number(process.env.BENCH_METRIC_FILES ?? 200_000);
const FILES = Number(process.env.BENCH_FILES ?? 3000);
/** files/s of each worker run, by label: the baseline is 'metrics disabled', same process, same run. */
const rates = new Map<string, number>();
const OFF: MetricsSettings = { ...METRICS_OFF, host: 'bench' };

/** The worker's per-file metric work (countClaimed + the file timer), stat of a real file included when enabled. */
function perFile(metrics: MetricsClient, file: string): void {
  if (!metrics.enabled) return;
  const started = performance.now();
  metrics.counter(METRIC.processedFiles, 1);
  metrics.counter(METRIC.processedBytes, fs.statSync(file).size);
  metrics.timer(METRIC.fileTimer, performance.now() - started);
}

async function inProcess(label: string, metrics: MetricsClient, file: string, received?: () => number): Promise<number> {
  for (let i = 0; i < 10_000; i++) perFile(metrics, file);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    perFile(metrics, file);
    // Let the UDP sends complete as a worker's event loop would between files.
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  const us = Number(process.hrtime.bigint() - t0) / 1000 / CALLS;
  console.log(`${label.padEnd(34)} ${us.toFixed(3)} µs per file${received ? ` (${received()} datagrams received)` : ''}`);
  return us;
}

function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** A real worker with a no-op step through FILES queued files: its CPU ms per file (files/s printed). */
async function workerRun(label: string, env: Record<string, string>): Promise<number> {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const plugin = writePlugin(home, 'b', [{ name: 'main', source: 'export function process() { return true; }' }]);
  const inbox = plugin.steps[0].watchedDirectories[0];
  const worker = startWorker(home, 'b', 'main', { MFDATA_REDIS_UNIX_SOCKET: redis.socket, ...env });
  try {
    await waitFor('worker started', () => worker.records.some((r) => r.event === 'worker started'));
    const before = cpuMs(worker.child.pid as number);
    const messages: string[] = [];
    for (let i = 0; i < FILES; i++) {
      fs.writeFileSync(path.join(inbox, `f${i}`), 'x'.repeat(100));
      messages.push(encodeMessage(messageFor(inbox, `f${i}`, 'created')));
    }
    // Timed from the push: writing the files is the producer's cost, not the worker's.
    const t0 = Date.now();
    await client.lpush('step.b.main', ...messages);
    await waitFor('all files processed', async () => (await client.get('counter.b.main')) === String(FILES), 120_000);
    const cpu = (cpuMs(worker.child.pid as number) - before) / FILES;
    const rate = FILES / ((Date.now() - t0) / 1000);
    rates.set(label.trim(), rate);
    console.log(`${label.padEnd(34)} ${cpu.toFixed(3)} ms CPU per file, ${rate.toFixed(0)} files/s${rates.has('metrics disabled') && label.trim() !== 'metrics disabled' ? ` (${((rate / (rates.get('metrics disabled') as number)) * 100).toFixed(0)} % of metrics off)` : ''}`);
    return cpu;
  } finally {
    await worker.stop();
    client.disconnect();
    await redis.stop();
    home.cleanup();
  }
}

async function main(): Promise<void> {
  const listener = dgram.createSocket('udp4');
  let datagrams = 0;
  // Counted only: the listener shares this event loop, so under the in-process loop most datagrams overflow its buffer.
  listener.on('message', () => { datagrams++; });
  await new Promise<void>((r) => listener.bind(0, '127.0.0.1', r));
  const port = listener.address().port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-metrics-bench-'));
  const file = path.join(dir, 'f');
  fs.writeFileSync(file, 'hello world');
  try {
    console.log(`in process, ${CALLS} files (2 counters + 1 timer + stat per file):`);
    const off = await inProcess('  disabled', createMetrics(OFF, 'b', 'main', () => undefined), file);
    const statsd = createMetrics({ ...OFF, statsdHost: '127.0.0.1', statsdPort: port }, 'b', 'main', () => undefined);
    const on = await inProcess('  statsd to a UDP listener', statsd, file, () => datagrams);
    await statsd.close();
    console.log(`  statsd costs ${(on - off).toFixed(2)} µs more per file`);
    console.log(`\na real worker, no-op step, ${FILES} files:`);
    const cpuOff = await workerRun('  metrics disabled', {});
    const cpuOn = await workerRun('  statsd to a UDP listener', { MFDATA_METRICS_STATSD_HOST: '127.0.0.1', MFDATA_METRICS_STATSD_PORT: String(port) });
    console.log(`  statsd: ${(cpuOn - cpuOff).toFixed(3)} ms CPU more per file (CPU from /proc in 10 ms ticks: noisy at this size)`);
    await receiversDown();
    await bufferMemory();
  } finally {
    listener.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A free TCP or UDP port nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function receiversDown(): Promise<void> {
  const hole = net.createServer((s) => { sockets.push(s); s.on('error', () => undefined); });
  const sockets: net.Socket[] = [];
  await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
  const holePort = (hole.address() as net.AddressInfo).port;
  const closed = await closedPort();
  try {
    console.log(`\nreceivers down, a real worker, no-op step, ${FILES} files (files/s vs metrics off above):`);
    await workerRun('  statsd to a closed UDP port', { MFDATA_METRICS_STATSD_HOST: '127.0.0.1', MFDATA_METRICS_STATSD_PORT: String(closed) });
    const influx = { MFDATA_METRICS_INFLUXDB_FLUSH_INTERVAL: '1', MFDATA_METRICS_INFLUXDB_BUFFER_SIZE: '10000' };
    await workerRun('  InfluxDB on a closed TCP port', { ...influx, MFDATA_METRICS_INFLUXDB_URL: `http://127.0.0.1:${closed}/write?db=m` });
    await workerRun('  InfluxDB a blackhole', { ...influx, MFDATA_METRICS_INFLUXDB_URL: `http://127.0.0.1:${holePort}/write?db=m` });
    // The baseline again: how much the machine itself moved during these runs.
    await workerRun('  metrics disabled, again', {});
  } finally {
    for (const s of sockets) s.destroy();
    hole.close();
  }
}

/** Heap held by a full InfluxDB buffer (10,000 lines of MFDATA-shaped series) that a blackhole never drains. */
async function bufferMemory(): Promise<void> {
  // A full collection before each reading, without asking run-bench for --expose-gc.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const port = await closedPort();
  const sink = new InfluxSink({ url: `http://127.0.0.1:${port}/write?db=m`, flushIntervalMs: 3_600_000, bufferSize: 10_000, warn: () => undefined });
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 4000; i++) sink.record('counter', 'number_of_processed_files', baseTags('bench-host', `plugin${i % 50}`, `step${i}`), 1);
    await sink.flush();
  }
  gc();
  const held = process.memoryUsage().heapUsed - before;
  const { buffered, dropped } = sink.stats();
  console.log(`\nInfluxDB unreachable, buffer 10,000 lines: ${buffered} lines held (${dropped} dropped), ${(held / 1024 / 1024).toFixed(1)} MB of heap (${(held / buffered).toFixed(0)} B per line)`);
  await sink.close(100);
}

void main();
