// Follows the runtime of this window: its supervisor status (pushed over the control socket) and the
// Redis figures the views show, gathered into one snapshot on demand.
import * as vscode from 'vscode';
import type { RuntimeStatus } from '../../runtime/supervisor/protocol';
import { ControlClient } from '../runtime/client';
import type { QueueInspector } from '../runtime/queues';
import { emptySnapshot, type RuntimeSnapshot } from '../views/model';

export class RuntimeMonitor implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RuntimeStatus | undefined>();
  /** Fires on every status change and on every supervisor event. */
  readonly onDidChangeStatus = this.changed.event;
  private last: RuntimeSnapshot = emptySnapshot();
  /** Step watchers this window is debugging (set by the step debugger; the tree shows them as "debugging"). */
  debuggingWatchers: () => ReadonlySet<string> = () => new Set();

  constructor(
    readonly client: ControlClient,
    readonly queues: QueueInspector,
  ) {
    client.on('status', (s) => this.changed.fire(s));
    client.start();
  }

  get status(): RuntimeStatus | undefined {
    return this.client.status;
  }

  /** The latest snapshot (what the views render). */
  get snapshot(): RuntimeSnapshot {
    return this.last;
  }

  /** Takes a new snapshot: the status, then queue lengths and counters from Redis when the runtime runs. */
  async reload(): Promise<RuntimeSnapshot> {
    const status = this.client.status;
    const snapshot = emptySnapshot(status);
    snapshot.debugging = this.debuggingWatchers();
    if (status) {
      const steps = status.watchers.filter((w) => w.kind === 'step' && w.plugin && w.step).map((w) => ({ plugin: w.plugin!, step: w.step! }));
      try {
        // The rates (runtime/stats) are read alongside; without them the rows just show no rate.
        const [queues, counters, stats] = await Promise.all([this.queues.queues(), this.queues.counters(steps), this.queues.stats(steps).catch(() => undefined)]);
        snapshot.queues = queues;
        snapshot.counters = counters;
        for (const q of queues) snapshot.queueLengths.set(q.name, q.length);
        if (stats) snapshot.stats = new Map(stats.map((s) => [`${s.plugin}.${s.step}`, s]));
      } catch {
        // Redis may be (re)starting: keep the status, show figures as zero until the next refresh.
      }
    }
    this.last = snapshot;
    return snapshot;
  }

  dispose(): void {
    this.client.dispose();
    this.queues.dispose();
    this.changed.dispose();
  }
}
