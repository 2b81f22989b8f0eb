// Refreshes the views only while at least one is visible: on runtime events (the main trigger), on a
// slow backstop timer (queue lengths and counters change without supervisor events), and on demand.
// Nothing runs while the MFDATA views are hidden.
// Type-only: no vscode at run time, so node tests drive it with plain targets.
import type * as vscode from 'vscode';

export interface RefreshTarget {
  view: vscode.TreeView<unknown>;
  refresh(): void;
}

export class RefreshManager implements vscode.Disposable {
  private timer?: NodeJS.Timeout;
  private pending?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** A refresh asked for while one was loading: it runs once that one ends (data taken before the ask would be stale). */
  private again?: Promise<void>;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly targets: RefreshTarget[],
    /** Loads fresh data for the views (a runtime snapshot). */
    private readonly load: () => Promise<unknown>,
    trigger: vscode.Event<unknown>,
    private readonly intervalSeconds: () => number,
  ) {
    for (const t of targets) this.subscriptions.push(t.view.onDidChangeVisibility(() => this.visibilityChanged()));
    this.subscriptions.push(trigger(() => this.schedule()));
    this.visibilityChanged();
  }

  get anyVisible(): boolean {
    return this.targets.some((t) => t.view.visible);
  }

  /** Coalesces bursts of events into one refresh shortly after. */
  schedule(delayMs = 100): void {
    if (!this.anyVisible) return;
    clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.refreshNow(), delayMs);
  }

  /**
   * Loads and redraws now (the Refresh button, commands, tests); also while hidden, since it was asked for.
   * Resolves once the views show data loaded after the call: when a load is already running, its data
   * may predate what the caller just changed, so one more load follows it (shared by every such caller).
   */
  async refreshNow(): Promise<void> {
    if (this.running) {
      this.again ??= this.running.then(() => {
        this.again = undefined;
        return this.refreshNow();
      });
      return this.again;
    }
    this.running = (async () => {
      try {
        await this.load();
      } finally {
        for (const t of this.targets) t.refresh();
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** The interval setting changed: a running backstop timer takes the new interval now (no refresh for it). */
  intervalChanged(): void {
    if (this.timer) this.arm();
  }

  private visibilityChanged(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (!this.anyVisible) return;
    void this.refreshNow();
    this.arm();
  }

  private arm(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.refreshNow(), this.intervalSeconds() * 1000);
  }

  dispose(): void {
    clearInterval(this.timer);
    clearTimeout(this.pending);
    for (const s of this.subscriptions) s.dispose();
  }
}
