// 100,000 files (20,000 reduced) created while the observer's inotifywait is paused: the kernel queue (16,384 events)
// overflows; the overflow rescan and its catch-up announce every file, without waiting for a forced_poll.
import { childPids } from '../../helpers/processes';
import { ScenarioContext, type Scenario } from '../scenario';

export const inotifyOverflow: Scenario = {
  name: 'inotify-overflow',
  group: 'overflow',
  description: 'inotifywait SIGSTOPped while 100,000 files (reduced: 20,000) are created on a tmpfs home, 2 events each, then SIGCONT: '
    + 'the kernel queue overflows (Q_OVERFLOW), the rescan stops at poll_queue_limit (10,000) and its catch-up announces the rest '
    + 'as the queue drains; every file delivered, well before the 300 s forced_poll.',
  skip: () => (process.platform === 'linux' && process.getuid?.() === 0 ? undefined : 'mounting a tmpfs needs root on Linux'),
  runtime: (size) => ({ tmpfsMiB: size === 'full' ? 1024 : 256 }),
  settleMs: (size) => (size === 'full' ? 600_000 : 180_000),
  async run(ctx) {
    const total = ctx.pick(100_000, 20_000);
    const observer = (await ctx.rt.pids('directory_observer'))[0];
    const inotify = observer === undefined ? undefined : childPids(observer, 'inotifywait')[0];
    if (inotify === undefined) throw new Error('no inotifywait under the directory observer');
    process.kill(inotify, 'SIGSTOP');
    const started = Date.now();
    try {
      ctx.inject(ScenarioContext.names('f', total));
    } finally {
      process.kill(inotify, 'SIGCONT');
    }
    ctx.faultOver();
    ctx.note(`${total} files created in ${((Date.now() - started) / 1000).toFixed(1)} s with inotifywait (pid ${inotify}) stopped`);
  },
  verify(ctx) {
    if (!ctx.rt.logContains('directory_observer.log', 'inotify event queue overflow')) throw new Error('the inotify queue did not overflow (or it was not reported)');
    if (!ctx.rt.logContains('directory_observer.log', 'rescan stopped at poll_queue_limit')) throw new Error('the overflow rescan did not reach poll_queue_limit: no catch-up was needed');
    if (!ctx.rt.logContains('directory_observer.log', 'caught up: every file of the directory was announced')) throw new Error('the catch-up did not finish');
    ctx.note('overflow reported, rescan stopped at poll_queue_limit, catch-up finished');
  },
};
