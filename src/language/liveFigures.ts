// Live figures for hovers on step references: queue length and counters from the runtime's Redis, only while it runs.
import type { RuntimeMonitor } from '../services/runtimeMonitor';
import type { LiveFigures, StepFigures } from './service/types';

/** A hover must not wait on a Redis that is starting or gone. */
const TIMEOUT_MS = 1000;

export class MonitorLiveFigures implements LiveFigures {
  constructor(
    private readonly monitor: RuntimeMonitor,
    private readonly enabled: () => boolean,
  ) {}

  async stepFigures(plugin: string, step: string): Promise<StepFigures | undefined> {
    if (!this.enabled() || !this.monitor.status) return undefined;
    const queue = `step.${plugin}.${step}`;
    const read = (async (): Promise<StepFigures> => {
      const [lengths, counters] = await Promise.all([this.monitor.queues.lengths([queue]), this.monitor.queues.counters([{ plugin, step }])]);
      const c = counters.get(`${plugin}.${step}`);
      return { queued: lengths.get(queue) ?? 0, processed: c?.processed ?? 0, failed: c?.failed ?? 0 };
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), TIMEOUT_MS)));
    try {
      return await Promise.race([read, timeout]);
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
