// `mfdata stats [--json] [--plugin P] [--step S]`: each step's own figures (files, failures, bytes, mean and p95
// time, queue length, files/s) over the last minute and since the runtime started, from the runtime's Redis.
import Redis from 'ioredis';
import type { ParsedArgs } from '../args';
import type { CliContext, Command } from '../command';
import { STATUS_EXIT } from './status';
import { redisEndpoint } from '../../config/generate/redis-address';
import { loadModuleConfig } from '../../config/module-config';
import { runtimeHome } from '../../home';
import { describeAddress, type RedisAddress } from '../../queue/connection';
import { readStepStats, type StepRef } from '../../stats/read';
import { renderStats } from '../../stats/table';
import { ControlClient, NotRunningError } from '../../supervisor/control-client';
import type { RuntimeStatus } from '../../supervisor/protocol';

/** The steps the running supervisor has workers for, in its order. */
export function stepsOfStatus(status: RuntimeStatus): StepRef[] {
  return status.watchers
    .filter((w) => w.kind === 'step' && w.plugin !== undefined && w.step !== undefined)
    .map((w) => ({ plugin: w.plugin as string, step: w.step as string }));
}

/** A connection that fails at once instead of retrying: a CLI answers or says why not. */
async function connectOnce(address: RedisAddress): Promise<Redis> {
  const common = { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null, connectionName: 'mfdata:cli:stats' };
  const redis = 'socket' in address ? new Redis({ ...common, path: address.socket }) : new Redis({ ...common, host: address.host, port: address.port });
  redis.on('error', () => undefined);
  await redis.connect();
  return redis;
}

export const statsCommand: Command = {
  path: ['stats'],
  summary: 'per-step files, failures, bytes, mean and p95 time, queue length and files/s: last minute and since start',
  usage: 'stats [--json] [--plugin P] [--step S]',
  options: [
    { name: 'json', description: 'print { home, startedAt, now, steps: StepStats[] } (runtime/stats/read.ts)' },
    { name: 'plugin', value: true, description: "only this plugin's steps" },
    { name: 'step', value: true, description: 'only steps of this name' },
  ],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const home = runtimeHome(ctx.home);
    const json = args.options.json === true;
    let status: RuntimeStatus;
    try {
      const client = await ControlClient.connect(home.supervisorSocket);
      try {
        status = await client.status();
      } finally {
        client.close();
      }
    } catch (err) {
      if (!(err instanceof NotRunningError)) throw err;
      if (json) ctx.stdout.write(`${JSON.stringify({ home: home.root, state: 'stopped' })}\n`);
      else ctx.stdout.write(`mfdata is not running (home ${home.root}): no stats (start it with mfdata start)\n`);
      return STATUS_EXIT.notRunning;
    }
    const plugin = typeof args.options.plugin === 'string' ? args.options.plugin : undefined;
    const step = typeof args.options.step === 'string' ? args.options.step : undefined;
    const steps = stepsOfStatus(status).filter((s) => (plugin === undefined || s.plugin === plugin) && (step === undefined || s.step === step));
    if (steps.length === 0 && (plugin !== undefined || step !== undefined)) {
      ctx.stderr.write(`mfdata stats: no running step matches${plugin !== undefined ? ` --plugin ${plugin}` : ''}${step !== undefined ? ` --step ${step}` : ''} (see mfdata status)\n`);
      return 1;
    }
    const endpoint = redisEndpoint(loadModuleConfig(ctx.workspace, { env: process.env, home: home.root }).module, home.root);
    const address: RedisAddress = endpoint.unixSocket ? { socket: endpoint.unixSocket } : { host: endpoint.host, port: endpoint.port };
    let redis: Redis;
    try {
      redis = await connectOnce(address);
    } catch (err) {
      ctx.stderr.write(`mfdata stats: cannot reach the runtime's Redis at ${describeAddress(address)}: ${(err as Error).message} (see mfdata status)\n`);
      return 1;
    }
    try {
      const now = Date.now();
      const stats = await readStepStats(redis, steps, now);
      ctx.stdout.write(json ? `${JSON.stringify({ home: home.root, startedAt: stats[0]?.startedAt ?? null, now, steps: stats }, null, 2)}\n` : renderStats(stats));
      return 0;
    } finally {
      redis.disconnect();
    }
  },
};
