// Benchmark of a view refresh with 50 plugins x 4 steps (200 step watchers, 2 workers each): parsing
// the supervisor's status line, building the three views' models, and reading the Redis figures
// (200 queues, 200 counters, failure traces) from a real redis-server over its unix socket.
// Run: npx esbuild bench/tree.bench.ts --bundle --platform=node --outfile=out/bench/tree.bench.js && node out/bench/tree.bench.js
import Redis from 'ioredis';
import type { RuntimeStatus, WatcherStatus } from '../runtime/supervisor/protocol';
import { RedisQueueInspector } from '../src/runtime/queues';
import { emptySnapshot, pluginNodes, processNodes, queueNodes, type NodeModel } from '../src/views/model';
import { startTestRedis } from '../test/helpers/redis-server';

const PLUGINS = 50;
const STEPS = 4;
const ROUNDS = 200;

function fakeStatus(): RuntimeStatus {
  const now = Date.now();
  const watchers: WatcherStatus[] = [];
  for (const name of ['redis', 'directory_observer', 'conf_monitor']) {
    watchers.push({ name, kind: name, state: 'running', numprocesses: 1, processes: [{ pid: 10, wid: 1, startedAt: now }], restarts: 0 });
  }
  for (let p = 0; p < PLUGINS; p++) {
    for (let s = 0; s < STEPS; s++) {
      watchers.push({
        name: `step.plugin${p}.step${s}`, kind: 'step', plugin: `plugin${p}`, step: `step${s}`, state: s === 3 && p % 10 === 0 ? 'failed' : 'running',
        numprocesses: 2, processes: [{ pid: 1000 + p * 10 + s, wid: 1, startedAt: now - 60_000 }, { pid: 5000 + p * 10 + s, wid: 2, startedAt: now - 30_000 }],
        restarts: p % 3, lastExit: p % 3 ? { code: 1, signal: null, at: now - 1000 } : undefined,
      });
    }
  }
  return { home: '/h', pid: 1, version: '0.1.0', startedAt: now, state: 'running', watchers };
}

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (f: number): string => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))].toFixed(3);
  return `median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${sorted[sorted.length - 1].toFixed(3)} ms`;
}

function count(nodes: NodeModel[]): number {
  return nodes.reduce((n, x) => n + 1 + count(x.children ?? []), 0);
}

async function main(): Promise<void> {
  const line = JSON.stringify({ id: 1, ok: true, result: fakeStatus() });
  const parse: number[] = [];
  const build: number[] = [];
  let nodes = 0;
  const redis = await startTestRedis();
  const r = new Redis({ path: redis.socket });
  const inspector = new RedisQueueInspector(() => redis.socket);
  try {
    const pipeline = r.pipeline();
    for (let p = 0; p < PLUGINS; p++) {
      for (let s = 0; s < STEPS; s++) {
        pipeline.lpush(`step.plugin${p}.step${s}`, ...Array.from({ length: (p + s) % 7 }, (_, i) => JSON.stringify({ directory: '/in', filename: `f${i}`, event: 'created', event_timestamp: 1 })));
        pipeline.set(`counter.plugin${p}.step${s}`, String(p * s));
        if (s === 3) pipeline.set(`trace@2026-01-01~plugin${p}/step${s}~>trash/keep`, '2');
      }
    }
    await pipeline.exec();
    const status = fakeStatus();
    const steps = status.watchers.filter((w) => w.kind === 'step').map((w) => ({ plugin: w.plugin!, step: w.step! }));
    const redisTimes: number[] = [];
    const totals: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const parsed = (JSON.parse(line) as { result: RuntimeStatus }).result;
      const t1 = performance.now();
      const [queues, counters] = await Promise.all([inspector.queues(), inspector.counters(steps)]);
      const t2 = performance.now();
      const snap = emptySnapshot(parsed);
      snap.queues = queues;
      snap.counters = counters;
      for (const q of queues) snap.queueLengths.set(q.name, q.length);
      const all = [...pluginNodes(snap), ...processNodes(snap), ...queueNodes(snap)];
      const t3 = performance.now();
      nodes = count(all);
      parse.push(t1 - t0);
      redisTimes.push(t2 - t1);
      build.push(t3 - t2);
      totals.push(t3 - t0);
    }
    console.log(`tree refresh, ${PLUGINS} plugins x ${STEPS} steps (${status.watchers.length} watchers, ${nodes} tree nodes), ${ROUNDS} rounds:`);
    console.log(`  parse status line (${(line.length / 1024).toFixed(0)} KiB):  ${stats(parse)}`);
    console.log(`  Redis figures (SCAN+LLEN x${steps.length}, MGET counters, traces): ${stats(redisTimes)}`);
    console.log(`  build the three views' models:        ${stats(build)}`);
    console.log(`  whole refresh (without VS Code's rendering): ${stats(totals)}`);
  } finally {
    inspector.dispose();
    r.disconnect();
    await redis.stop();
  }
}

void main();
