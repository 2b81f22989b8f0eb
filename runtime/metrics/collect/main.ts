// metrics_collector (dist/runtime/metrics-collector.js --home H --interval S): run by the supervisor as a watcher when a
// metrics sink is configured; every S seconds one round of collector measurements to the [metrics] sinks. mflog on stdout.
import * as os from 'node:os';
import { announceReady } from '../../util/ready';
import { runtimeHome } from '../../home';
import { createLogger } from '../../log/mflog';
import { connectRedis, describeAddress, redisAddressFromEnv } from '../../queue/connection';
import { controlRequest } from '../../supervisor/control-client';
import type { RuntimeStatus } from '../../supervisor/protocol';
import { createSinks } from '../client';
import { metricsSettingsFromEnv } from '../settings';
import { Collector } from './collector';

const USAGE = 'usage: metrics-collector --home DIR [--interval SECONDS]';

export interface CollectorArgs { home: string; intervalSeconds: number }

export function parseCollectorArgs(argv: readonly string[]): CollectorArgs {
  const args: CollectorArgs = { home: '', intervalSeconds: 10 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--home') args.home = argv[++i] ?? '';
    else if (flag === '--interval') {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`--interval wants seconds > 0, got '${argv[i] ?? ''}' (${USAGE})`);
      args.intervalSeconds = n;
    } else throw new Error(`unknown argument '${flag}' (${USAGE})`);
  }
  if (!args.home) throw new Error(USAGE);
  return args;
}

/** A promise that gives up after `ms` (Redis or the control socket not answering must not stall the rounds). */
function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, () => { clearTimeout(t); resolve(undefined); });
  });
}

async function run(): Promise<void> {
  const args = parseCollectorArgs(process.argv.slice(2));
  const home = runtimeHome(args.home);
  const logger = createLogger('metrics_collector');
  const settings = metricsSettingsFromEnv(process.env);
  const warn = (event: string, fields: Record<string, string | number>): void => logger.warning(event, fields);
  const sinks = createSinks(settings, warn);
  const address = redisAddressFromEnv(process.env, { socket: home.redisSocket });
  const redis = connectRedis(address, {
    name: `mfdata:metrics_collector:${process.pid}`,
    onOutage: (err) => logger.warning('Redis unreachable; queue lengths are left out until it is back', { redis: describeAddress(address), error: err.message }),
  });
  const timeoutMs = Math.min(5000, args.intervalSeconds * 1000);
  const collector = new Collector({
    inDir: home.inDir,
    selfPid: process.pid,
    status: () => within(controlRequest(home.supervisorSocket, { cmd: 'status' }) as Promise<RuntimeStatus>, timeoutMs),
    queueLengths: (queues) => within(Promise.all(queues.map((q) => redis.llen(q))), timeoutMs),
  }, [['module', 'mfdata'], ['host', settings.host || os.hostname()]]);

  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let current: Promise<void> = Promise.resolve();
  const tick = (): void => {
    current = collector.round().then((points) => {
      for (const p of points) for (const sink of sinks) sink.point(p.measurement, p.tags, p.fields);
    }, (err: unknown) => logger.warning('metrics collection round failed', { error: err instanceof Error ? err.message : String(err) }));
    // The next round starts an interval after this one ended: a slow walk of IN never stacks rounds.
    void current.finally(() => { if (!stopping) timer = setTimeout(tick, args.intervalSeconds * 1000); });
  };
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearTimeout(timer);
    redis.disconnect();
    void current.finally(() => Promise.all(sinks.map((s) => s.close()))).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  logger.info('metrics collector started', { interval_seconds: args.intervalSeconds, sinks: sinks.length });
  if (sinks.length === 0) logger.warning('no metrics sink usable: the collector idles', {});
  tick();
  announceReady();
}

if (require.main === module) {
  run().catch((err: unknown) => {
    process.stderr.write(`metrics-collector: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
