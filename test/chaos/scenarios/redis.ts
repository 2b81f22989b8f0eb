// redis-server SIGKILLed mid-run: the supervisor restarts it from its append-only file; what the last second of
// queue writes lost is announced again by the observer's rescan when Redis is back.
import { kill9, ScenarioContext, sleep, type Scenario } from '../scenario';

export const redisKill: Scenario = {
  name: 'redis-sigkill',
  group: 'redis-disk',
  description: 'SIGKILL of redis-server twice while files arrive and are processed; the supervisor restarts it, workers and '
    + 'observer reconnect, the observer rescans every directory: every file delivered.',
  runtime: (size) => ({ step: { delayMs: size === 'full' ? 0 : 2 } }),
  async run(ctx) {
    const total = ctx.pick(10_000, 600);
    for (let round = 0; round < 3; round++) {
      ctx.inject(ScenarioContext.names(`r${round}-`, total / 3));
      if (round === 2) break;
      await sleep(300);
      const pid = (await ctx.rt.pids('redis'))[0];
      if (!kill9(pid)) throw new Error('no redis-server to kill');
      ctx.note(`redis-server pid ${String(pid)} SIGKILLed`);
      await sleep(500);
    }
    ctx.faultOver();
  },
};
