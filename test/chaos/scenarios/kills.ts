// Process kills: step workers SIGKILLed every 200 ms, the observer SIGKILLed, the supervisor SIGKILLed then started again.
import type { Place } from '../accounting';
import type { RuntimeOptions } from '../runtime';
import { kill9, ScenarioContext, sleep, type Scenario, type Size } from '../scenario';

/** A step killed on purpose again and again must not be declared flapping: that is the supervisor's other guarantee. */
const NO_FLAPPING = ['[supervisor]', 'flapping_max_retries = 1000000', 'flapping_window = 1'];

/** Injects `total` files in `slices` slices `gapMs` apart, so a fault running meanwhile hits files at every stage (a killed worker may send one to trash). */
export async function injectWhile(ctx: ScenarioContext, prefix: string, total: number, slices: number, gapMs: number, expect: readonly Place[] = ['output', 'trash']): Promise<void> {
  const per = Math.ceil(total / slices);
  for (let i = 0; i < total; i += per) {
    ctx.inject(ScenarioContext.names(prefix, Math.min(per, total - i), i), { expect });
    await sleep(gapMs);
  }
}

export const workerKill: Scenario = {
  name: 'worker-sigkill',
  group: 'kills',
  description: 'SIGKILL of a random step worker every 200 ms while files arrive; the supervisor respawns them (with its backoff). '
    + 'A file in the hands of a killed worker is put back into the inbox by the next worker of the step; a file whose worker '
    + 'died 3 times goes to the trash with the reason in its .tags.',
  runtime: (size: Size): RuntimeOptions => ({ step: { numprocesses: 4, delayMs: size === 'full' ? 0 : 2 }, mfdataIni: NO_FLAPPING }),
  settleMs: (size) => (size === 'full' ? 600_000 : 180_000),
  async run(ctx) {
    const total = ctx.pick(10_000, 400);
    let kills = 0;
    const killer = ctx.every(200, async () => {
      const pids = await ctx.rt.pids(ctx.rt.stepWatcher());
      if (kill9(pids[Math.floor(Math.random() * pids.length)])) kills++;
    });
    await injectWhile(ctx, 'k', total, 20, ctx.pick(500, 150));
    // Keep killing while the backlog drains, for as long again as the injection took.
    await sleep(ctx.pick(5000, 2000));
    await killer.stop();
    ctx.faultOver();
    ctx.note(`${kills} workers SIGKILLed`);
  },
};

export const observerKill: Scenario = {
  name: 'observer-sigkill',
  group: 'kills',
  description: 'SIGKILL of the directory observer five times while files arrive; the supervisor respawns it and its start-up '
    + 'rescan announces every file written while no observer ran.',
  runtime: () => ({ mfdataIni: NO_FLAPPING }),
  async run(ctx) {
    const total = ctx.pick(10_000, 400);
    let kills = 0;
    for (let round = 0; round < 5; round++) {
      ctx.inject(ScenarioContext.names(`o${round}-`, total / 5));
      if (kill9((await ctx.rt.pids('directory_observer'))[0])) kills++;
      await sleep(300);
    }
    ctx.faultOver();
    ctx.note(`observer SIGKILLed ${kills} times`);
  },
};

export const supervisorKill: Scenario = {
  name: 'supervisor-sigkill',
  group: 'kills',
  description: 'SIGKILL of the supervisor mid-run, more files written while it is dead, then `mfdata start` again: the stale lock '
    + 'and socket are taken over, the previous supervisor\'s orphaned processes are stopped, and every file is processed.',
  runtime: (size) => ({ step: { delayMs: size === 'full' ? 0 : 2 } }),
  async run(ctx) {
    const total = ctx.pick(10_000, 400);
    ctx.inject(ScenarioContext.names('s', total / 2));
    await sleep(200);
    const pid = ctx.rt.supervisorPid();
    if (!kill9(pid)) throw new Error('no supervisor to kill');
    ctx.faultOver();
    ctx.inject(ScenarioContext.names('s', total / 2, total / 2));
    await ctx.rt.start();
    if (!ctx.rt.logContains('supervisor.log', 'stopped the processes of a previous supervisor')) {
      throw new Error("the new supervisor did not report stopping the previous one's processes");
    }
    ctx.note(`supervisor pid ${String(pid)} SIGKILLed, runtime started again; recovery counted from the kill`);
  },
};
