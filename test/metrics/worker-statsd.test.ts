// A real step worker sends MFDATA's statsd lines over UDP for the files it processes; with no sink it opens no socket.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { dropFile, makeHome, startWorker, waitFor, writePlugin, type TestHome } from '../datapath/harness';
import { encodeMessage, messageFor } from '../../runtime/queue/message';

const STEP = `
import { defineStep } from 'mfdata';
export const step = defineStep({
  process(file, ctx) {
    ctx.metrics.counter('custom_files', 1, { kind: 'txt' });
    return !file.originalBasename.startsWith('bad');
  },
});
`;

const BATCH_STEP = `
import { defineStep } from 'mfdata';
export const step = defineStep({
  batchProcess(files) { return files.map((f) => !f.originalBasename.startsWith('bad')); },
});
`;

/** A UDP listener on 127.0.0.1 collecting every line of every datagram. */
async function listenUdp(): Promise<{ port: number; lines: string[]; close(): Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  const lines: string[] = [];
  socket.on('message', (msg) => lines.push(...msg.toString().split('\n')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, lines, close: () => new Promise<void>((r) => socket.close(() => r())) };
}

async function push(client: Redis, queue: string, inbox: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    dropFile(inbox, name, content);
    await client.lpush(queue, encodeMessage(messageFor(inbox, name, 'created')));
  }
}

/** Inodes of the UDP sockets (IPv4 and IPv6) of this network namespace. */
function udpInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
    let text = '';
    try { text = fs.readFileSync(table, 'utf8'); } catch { continue; }
    for (const row of text.split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      if (cols.length > 9) inodes.add(cols[9]);
    }
  }
  return inodes;
}

/** How many UDP sockets a process holds open, from its file descriptors. */
function udpSocketsOf(pid: number): number {
  const udp = udpInodes();
  let n = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    let target = '';
    try { target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { continue; }
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m && udp.has(m[1])) n++;
  }
  return n;
}

interface Setup {
  home: TestHome;
  client: Redis;
  socket: string;
  /** Cleanups run before Redis stops (a worker stops cleanly only while its Redis is up). */
  first: Array<() => Promise<void>>;
}

async function setup(t: { after(fn: () => Promise<void>): void }): Promise<Setup> {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const first: Array<() => Promise<void>> = [];
  t.after(async () => {
    for (const cleanup of first) await cleanup();
    client.disconnect();
    await redis.stop();
    home.cleanup();
  });
  return { home, client, socket: redis.socket, first };
}

test('a worker sends MFDATA statsd lines to Telegraf: files, bytes, errors, file timer, and the step\'s own counter with its extra tag', async (t) => {
  const { home, client, socket, first } = await setup(t);
  const udp = await listenUdp();
  const plugin = writePlugin(home, 'p', [{ name: 'main', source: STEP }]);
  const worker = startWorker(home, 'p', 'main', {
    MFDATA_REDIS_UNIX_SOCKET: socket, MFDATA_METRICS_STATSD_HOST: '127.0.0.1', MFDATA_METRICS_STATSD_PORT: String(udp.port), MFDATA_METRICS_HOST: 'edge-7',
  });
  first.push(async () => { await worker.stop(); await udp.close(); });
  await push(client, 'step.p.main', plugin.steps[0].watchedDirectories[0], { 'good.txt': 'hello world', 'bad.txt': 'abc' });
  await waitFor('two file timers', () => udp.lines.filter((l) => l.startsWith('processing_file_timer,')).length === 2);
  await waitFor('the error counted', () => udp.lines.some((l) => l.startsWith('number_of_processing_errors,')));
  const tags = 'module=mfdata,host=edge-7,plugin=p,step=main';
  const timers = udp.lines.filter((l) => l.startsWith('processing_file_timer,'));
  for (const line of timers) assert.match(line, new RegExp(`^processing_file_timer,${tags}:\\d+\\.\\d{6}\\|ms$`));
  assert.deepEqual(udp.lines.filter((l) => !l.startsWith('processing_file_timer,')).sort(), [
    `bytes_of_processed_files,${tags}:11|c`,
    `bytes_of_processed_files,${tags}:3|c`,
    `custom_files,${tags},kind=txt:1|c`,
    `custom_files,${tags},kind=txt:1|c`,
    `number_of_processed_files,${tags}:1|c`,
    `number_of_processed_files,${tags}:1|c`,
    `number_of_processing_errors,${tags}:1|c`,
  ]);
  assert.equal(udpSocketsOf(worker.child.pid as number), 1, 'the statsd sink holds one UDP socket');
});

test('a batch step counts its batches, batch errors and batch time, and every file of the batch', async (t) => {
  const { home, client, socket, first } = await setup(t);
  const udp = await listenUdp();
  const plugin = writePlugin(home, 'b', [{ name: 'main', source: BATCH_STEP, config: { batchMaxSize: 2, batchMaxWait: 30 } }]);
  const worker = startWorker(home, 'b', 'main', {
    MFDATA_REDIS_UNIX_SOCKET: socket, MFDATA_METRICS_STATSD_HOST: '127.0.0.1', MFDATA_METRICS_STATSD_PORT: String(udp.port), MFDATA_METRICS_HOST: 'h',
  });
  first.push(async () => { await worker.stop(); await udp.close(); });
  await push(client, 'step.b.main', plugin.steps[0].watchedDirectories[0], { 'one.txt': '1', 'bad.txt': '22' });
  await waitFor('the batch timer', () => udp.lines.some((l) => l.startsWith('processing_batch_timer,')));
  const tags = 'module=mfdata,host=h,plugin=b,step=main';
  assert.match(udp.lines.find((l) => l.startsWith('processing_batch_timer,')) ?? '', new RegExp(`^processing_batch_timer,${tags}:\\d+\\.\\d{6}\\|ms$`));
  assert.deepEqual(udp.lines.filter((l) => !l.startsWith('processing_batch_timer,')).sort(), [
    `bytes_of_processed_files,${tags}:1|c`,
    `bytes_of_processed_files,${tags}:2|c`,
    `number_of_processed_batches,${tags}:1|c`,
    `number_of_processed_batches_error,${tags}:1|c`,
    `number_of_processed_files,${tags}:1|c`,
    `number_of_processed_files,${tags}:1|c`,
    `number_of_processing_errors,${tags}:1|c`,
  ]);
});

test('with no metrics configured a worker processes files and opens no UDP socket', async (t) => {
  const { home, client, socket, first } = await setup(t);
  const plugin = writePlugin(home, 'q', [{ name: 'main', source: STEP }]);
  const worker = startWorker(home, 'q', 'main', { MFDATA_REDIS_UNIX_SOCKET: socket });
  first.push(async () => { await worker.stop(); });
  await push(client, 'step.q.main', plugin.steps[0].watchedDirectories[0], { 'good.txt': 'hello' });
  await waitFor('file processed', async () => (await client.get('counter.q.main')) === '1' && fs.readdirSync(plugin.steps[0].watchedDirectories[0]).length === 0);
  assert.equal(worker.child.exitCode, null, worker.stderr());
  assert.equal(udpSocketsOf(worker.child.pid as number), 0);
});
