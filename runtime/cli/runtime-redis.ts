// A command's connection to the runtime's Redis: "not running" (exit 3, as status) or "cannot reach" (exit 1) said once for all.
import type Redis from 'ioredis';
import type { CliContext } from './command';
import { STATUS_EXIT } from './commands/status';
import { connectRuntimeRedis, RuntimeRedisUnreachableError } from '../flow/redis-address';
import { runtimeHome } from '../home';

/** Runs `work` with a connection to the runtime's Redis (closed afterwards); its exit code, or 3/1 when Redis is not there. */
export async function withRuntimeRedis(ctx: CliContext, command: string, work: (redis: Redis) => Promise<number>): Promise<number> {
  let redis: Redis;
  try {
    redis = await connectRuntimeRedis(runtimeHome(ctx.home), command.replace(/ /g, '-'));
  } catch (err) {
    if (!(err instanceof RuntimeRedisUnreachableError)) throw err;
    ctx.stderr.write(`mfdata ${command}: ${err.message}\n`);
    return err.running ? 1 : STATUS_EXIT.notRunning;
  }
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}
