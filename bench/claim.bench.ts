// Benchmark of a no-op step's Redis bookkeeping alone: batches of 16 fresh claims (the claim script), the leave events
// and tag drops of the previous batch, through the worker's own client, against a redis-server configured as the
// runtime's (append-only, everysec) on tmpfs; journeys on and off, alternating, BENCH_ROUNDS rounds (default 3).
// Prints medians [min–max] of redis-server CPU and of this process's CPU (the worker's side) per file. Asserts nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startTestRedis } from '../test/helpers/redis-server';
import { connectLeanRedis } from '../runtime/redis/connect';
import { StepState, type ClaimInput } from '../runtime/queue/step-state';
import { cpuMs } from './lib/proc';

const FILES = Number(process.env.BENCH_FILES ?? 40_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const BATCH = 16;
const HOME = '/dev/shm/mfdata-claim-bench';

interface Run { redisUs: number; clientUs: number }

async function run(journeys: boolean): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : '/tmp', 'mfdata-claim-bench-'));
  const server = await startTestRedis(['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir]);
  const redis = connectLeanRedis({ socket: server.socket }, { name: 'claim-bench' });
  const state = new StepState(redis, 'bench', 'main', { enabled: journeys, keepSeconds: 86_400 });
  let drops: string[] = [];
  const claimFiles = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i += BATCH) {
      const claims: ClaimInput[] = Array.from({ length: BATCH }, (_, k) => {
        const uid = randomBytes(16).toString('hex');
        return { inboxPath: `${HOME}/var/in/step.bench.main/f${i + k}`, claimPath: `${HOME}/var/in/tmp/bench.main/${uid}`, uid };
      });
      const records = await state.recordClaims(claims, drops);
      drops = claims.map((c) => c.claimPath);
      claims.forEach((c, k) => state.journey.leave(c.claimPath, { uid: c.uid, originalUid: c.uid, stepCounter: records[k].stepCounter }, 'bench', 'main', Date.now(), false));
    }
  };
  try {
    await claimFiles(4_000); // warm-up: JIT, script cache
    const pid = server.process.pid as number;
    const [r0, c0] = [cpuMs(pid), process.cpuUsage()];
    await claimFiles(FILES);
    const c1 = process.cpuUsage(c0);
    return { redisUs: ((cpuMs(pid) - r0) * 1000) / FILES, clientUs: (c1.user + c1.system) / FILES };
  } finally {
    await state.journey.flushNow();
    redis.disconnect();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function stats(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  return `${s[Math.floor(s.length / 2)].toFixed(1)} [${s[0].toFixed(1)}–${s[s.length - 1].toFixed(1)}]`;
}

async function main(): Promise<void> {
  const on: Run[] = [];
  const off: Run[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    on.push(await run(true));
    off.push(await run(false));
  }
  console.log(`claim bookkeeping, ${FILES} files in claims of ${BATCH}, ${ROUNDS} rounds (median [min–max]), load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  for (const [label, runs] of [['journeys on ', on], ['journeys off', off]] as const) {
    console.log(`${label}  redis-server ${stats(runs.map((x) => x.redisUs))} µs CPU/file, worker side ${stats(runs.map((x) => x.clientUs))} µs CPU/file`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
