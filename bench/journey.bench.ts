// Benchmark of journey recording: a real worker routes BENCH_FILES queued files to another step (claim, route trace,
// leave: every journey write there is) with [journeys] on and off, alternating, BENCH_ROUNDS rounds (default 5) in the
// same run; prints medians [min–max] of files/s and of worker + redis-server CPU per file. Asserts nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../test/helpers/redis-server';
import { makeHome, startWorker, waitFor, writePlugin } from '../test/datapath/harness';
import { encodeMessage, messageFor } from '../runtime/queue/message';
import { cpuMs } from './lib/proc';
import { redisMemory } from '../runtime/journey/memory-guard';

const FILES = Number(process.env.BENCH_FILES ?? 5000);
const ROUNDS = Math.max(5, Number(process.env.BENCH_ROUNDS ?? 5));
/** BENCH_JOURNEY_STEP=noop: the step deletes each file (claim and leave only: the throughput benchmark's step). */
const NOOP = process.env.BENCH_JOURNEY_STEP === 'noop';

/** Sets a tag and moves the file on: the journey records its claim, route (with the tag) and leave. */
const ROUTE_STEP = `export async function process(file: { path: string }, ctx: any) {
  await ctx.setTag(file, 'kind', 'bench');
  return ctx.moveToPluginStep(file, 'b', 'next');
}`;

interface Run { filesPerSec: number; workerMs: number; redisMs: number; bytesPerFile: number }

async function run(journeys: boolean): Promise<Run> {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const plugin = writePlugin(home, 'b', [{ name: 'main', source: NOOP ? 'export function process() { return true; }' : ROUTE_STEP }, { name: 'next', source: 'export function process() { return true; }' }]);
  const inbox = plugin.steps[0].watchedDirectories[0];
  const worker = startWorker(home, 'b', 'main', { MFDATA_REDIS_UNIX_SOCKET: redis.socket, MFDATA_JOURNEYS: journeys ? '1' : '0' });
  try {
    await waitFor('worker started', () => worker.records.some((r) => r.event === 'worker started'));
    const messages: string[] = [];
    for (let i = 0; i < FILES; i++) {
      fs.writeFileSync(path.join(inbox, `f${i}`), 'x'.repeat(100));
      messages.push(encodeMessage(messageFor(inbox, `f${i}`, 'created')));
    }
    const next = plugin.steps[1].watchedDirectories[0];
    const m0 = (await redisMemory(client)).used;
    const [w0, r0, t0] = [cpuMs(worker.child.pid as number), cpuMs(redis.process.pid as number), performance.now()];
    await client.lpush('step.b.main', ...messages);
    const claims = path.join(home.home.inDir, 'tmp', 'b.main');
    const empty = (dir: string): boolean => !fs.existsSync(dir) || fs.readdirSync(dir).every((n) => n.startsWith('.'));
    if (NOOP) await waitFor('all files deleted', () => empty(inbox) && empty(claims), 120_000, 5);
    else await waitFor('all files routed', () => fs.readdirSync(next).length === FILES, 120_000);
    const seconds = (performance.now() - t0) / 1000;
    const result = {
      filesPerSec: FILES / seconds,
      workerMs: (cpuMs(worker.child.pid as number) - w0) / FILES,
      redisMs: (cpuMs(redis.process.pid as number) - r0) / FILES,
      // What the run left in Redis per file (journeys, edge lists, counters; the tags of finished files are gone).
      bytesPerFile: ((await redisMemory(client)).used - m0) / FILES,
    };
    if (journeys && (await client.zcard('journey-names')) === 0) throw new Error('journeys on, but nothing was recorded');
    // BENCH_COMMANDSTATS=1: where redis-server's time went, per command (calls inside scripts included), per file.
    if (process.env.BENCH_COMMANDSTATS === '1') console.log(`journeys ${journeys ? 'on' : 'off'}:\n${commandStats(await client.info('commandstats'), FILES)}`);
    return result;
  } finally {
    await worker.stop();
    client.disconnect();
    await redis.stop();
    home.cleanup();
  }
}

function commandStats(info: string, files: number): string {
  const rows: string[] = [];
  for (const m of info.matchAll(/^cmdstat_(\S+):calls=(\d+),usec=(\d+)/gm)) rows.push(`  ${m[1].padEnd(14)} ${(Number(m[2]) / files).toFixed(2).padStart(6)} calls/file ${(Number(m[3]) / files).toFixed(2).padStart(7)} µs/file`);
  return rows.join('\n');
}

function stats(values: number[], digits: number): string {
  const s = [...values].sort((a, b) => a - b);
  return `${s[Math.floor(s.length / 2)].toFixed(digits)} [${s[0].toFixed(digits)}–${s[s.length - 1].toFixed(digits)}]`;
}

async function main(): Promise<void> {
  const on: Run[] = [];
  const off: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first, so a drift of the machine's load does not favour one side.
    for (const mode of i % 2 === 0 ? [true, false] : [false, true]) (mode ? on : off).push(await run(mode));
  }
  const median = (rs: Run[]): number => [...rs.map((r) => r.filesPerSec)].sort((a, b) => a - b)[Math.floor(rs.length / 2)];
  console.log(`journey recording, ${FILES} files ${NOOP ? 'deleted' : 'routed'} by one worker, ${ROUNDS} rounds (median [min–max])`);
  for (const [label, rs] of [['journeys off', off], ['journeys on', on]] as const) {
    console.log(`${label.padEnd(14)} ${stats(rs.map((r) => r.filesPerSec), 0)} files/s, worker ${stats(rs.map((r) => r.workerMs), 3)} ms CPU/file, redis ${stats(rs.map((r) => r.redisMs), 3)} ms CPU/file, Redis memory ${stats(rs.map((r) => r.bytesPerFile), 0)} bytes/file held`);
  }
  console.log(`throughput cost of journeys: ${((1 - median(on) / median(off)) * 100).toFixed(1)} % (target ≤ 10 %)`);
}

void main();
