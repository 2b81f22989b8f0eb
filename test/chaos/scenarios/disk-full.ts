// The runtime home on a small tmpfs that fills up mid-run (a filler file until ENOSPC), then frees space: files in
// flight, trashed ones (.tags writes), Redis' append-only file and the logs all meet ENOSPC; nothing may be lost.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fillUp } from '../../helpers/fill-up';
import { ScenarioContext, sleep, type Scenario } from '../scenario';

export const diskFull: Scenario = {
  name: 'disk-full',
  group: 'redis-disk',
  description: 'the runtime home is a small tmpfs (32 MiB; 96 MiB at full size); mid-run a filler file takes every free byte (ENOSPC for Redis\' append-only file, '
    + 'the logs, .tags files of trashed files, scratch files) for a few seconds while workers process the inbox, then is deleted: '
    + 'every file ends processed or trashed with its .tags, content intact.',
  skip: () => (process.platform === 'linux' && process.getuid?.() === 0 ? undefined : 'mounting a tmpfs needs root on Linux'),
  runtime: (size) => ({ tmpfsMiB: size === 'full' ? 96 : 32, step: { numprocesses: 2, delayMs: size === 'full' ? 1 : 10 } }),
  settleMs: (size) => (size === 'full' ? 600_000 : 180_000),
  async run(ctx) {
    const rt = ctx.rt;
    const total = ctx.pick(10_000, 400);
    // Written before the disk fills, into a directory nobody watches on the same file system, then renamed into the
    // inbox slice by slice while it is full: a rename needs no free space, so files keep arriving during the fault.
    const staging = path.join(rt.home.root, 'staging');
    const names = ScenarioContext.names('d', total).map((n, i) => (i % 40 === 7 ? `throw-${n}` : n));
    ctx.inject(names.filter((n) => !n.startsWith('throw-')), { dir: staging });
    ctx.inject(names.filter((n) => n.startsWith('throw-')), { dir: staging, expect: ['trash'] });
    const moveIn = (from: number, to: number): void => {
      for (const n of names.slice(from, to)) fs.renameSync(path.join(staging, n), path.join(rt.inbox, n));
    };
    const first = Math.floor(total / 5);
    moveIn(0, first);
    await sleep(200);
    const filler = path.join(rt.home.root, 'filler');
    const bytes = fillUp(filler);
    const fullFor = ctx.pick(10_000, 3000);
    const slices = 10;
    for (let i = 0; i < slices; i++) {
      moveIn(first + Math.floor(((total - first) * i) / slices), first + Math.floor(((total - first) * (i + 1)) / slices));
      await sleep(fullFor / slices);
    }
    const before = ctx.finishedCount();
    fs.rmSync(filler);
    ctx.faultOver();
    ctx.note(`filler of ${(bytes / 1024 / 1024).toFixed(1)} MiB filled the home for ${fullFor / 1000} s while ${total - first} files were renamed in; `
      + `${before} of ${total} files final when space came back`);
    // Files written after space came back go through as well.
    ctx.inject(ScenarioContext.names('after-', ctx.pick(1000, 50)));
  },
  verify(ctx) {
    const hits = ['redis.log', 'supervisor.log', 'step_chaos_main.log', 'directory_observer.log']
      .filter((f) => ctx.rt.logContains(f, 'ENOSPC') || ctx.rt.logContains(f, 'No space left'));
    ctx.note(`logs mentioning ENOSPC: ${hits.join(', ') || 'none'}`);
  },
};
