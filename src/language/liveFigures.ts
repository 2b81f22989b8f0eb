// Live figures for hovers on step references: queue length and counters from the runtime's Redis, only while it runs.
import type { RuntimeMonitor } from '../services/runtimeMonitor';
import type { LiveFigures, NoLiveFigures, StepFigures } from './service/types';

/** A hover must not wait on a Redis that is starting or gone. */
const TIMEOUT_MS = 1000;

/** What the figures are read from: the runtime's status (running or not) and its queues. */
export type FiguresSource = Pick<RuntimeMonitor, 'status'> & { queues: Pick<RuntimeMonitor['queues'], 'lengths' | 'counters'> };

export class MonitorLiveFigures implements LiveFigures {
  constructor(
    private readonly monitor: FiguresSource,
    private readonly enabled: () => boolean,
    private readonly timeoutMs = TIMEOUT_MS,
  ) {}

  async stepFigures(plugin: string, step: string): Promise<StepFigures | NoLiveFigures> {
    if (!this.enabled()) return 'off';
    if (!this.monitor.status) return 'not running';
    const queue = `step.${plugin}.${step}`;
    const read = (async (): Promise<StepFigures> => {
      const [lengths, counters] = await Promise.all([this.monitor.queues.lengths([queue]), this.monitor.queues.counters([{ plugin, step }])]);
      const c = counters.get(`${plugin}.${step}`);
      return { queued: lengths.get(queue) ?? 0, processed: c?.processed ?? 0, failed: c?.failed ?? 0 };
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), this.timeoutMs)));
    try {
      return await Promise.race([read, timeout]);
    } catch {
      return 'unreadable';
    } finally {
      clearTimeout(timer);
    }
  }
}
