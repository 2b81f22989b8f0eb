// Benchmark of the metrics cost per file: what a worker does per file for metrics (two counters with the file's
// size, one timer), disabled vs the statsd sink to a real UDP listener, in process; then a real worker's CPU per
// file through a whole queue, without and with statsd. Prints figures; asserts nothing.
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { createMetrics, type MetricsClient } from '../runtime/metrics/client';
import { METRIC } from '../runtime/metrics/format';
import { METRICS_OFF, type MetricsSettings } from '../runtime/metrics/settings';
import { startTestRedis } from '../test/helpers/redis-server';
import { makeHome, startWorker, waitFor, writePlugin } from '../test/datapath/harness';
import { encodeMessage, messageFor } from '../runtime/queue/message';

const CALLS = Number(process.env.BENCH_METRIC_FILES ?? 200_000);
const FILES = Number(process.env.BENCH_FILES ?? 3000);
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

/** A real worker with a no-op step through FILES queued files: its CPU ms per file. */
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
    const t0 = Date.now();
    const messages: string[] = [];
    for (let i = 0; i < FILES; i++) {
      fs.writeFileSync(path.join(inbox, `f${i}`), 'x'.repeat(100));
      messages.push(encodeMessage(messageFor(inbox, `f${i}`, 'created')));
    }
    await client.lpush('step.b.main', ...messages);
    await waitFor('all files processed', async () => (await client.get('counter.b.main')) === String(FILES), 120_000);
    const cpu = (cpuMs(worker.child.pid as number) - before) / FILES;
    console.log(`${label.padEnd(34)} ${cpu.toFixed(3)} ms CPU per file, ${(FILES / ((Date.now() - t0) / 1000)).toFixed(0)} files/s`);
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
  } finally {
    listener.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
