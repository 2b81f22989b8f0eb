// Runs a refresh now and then every few seconds, but only while its view is visible: hidden or
// disposed, no timer is left. A refresh still running when the next is due is not doubled.
// No vscode: node tests drive it with plain calls.
export class LiveTicker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private disposed = false;
  /** Refreshes run so far (tests read it). */
  ticks = 0;

  constructor(
    private readonly refresh: () => Promise<void>,
    private readonly intervalMs: () => number,
  ) {}

  /** True while a timer is armed (the view is visible). */
  get live(): boolean {
    return this.timer !== undefined;
  }

  setVisible(visible: boolean): void {
    if (this.disposed) return;
    if (!visible) return this.stop();
    if (this.timer) return;
    void this.tick();
    this.arm();
  }

  /** The interval setting changed: a running timer takes the new interval now (no refresh for it). */
  intervalChanged(): void {
    if (this.timer) this.arm();
  }

  private arm(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.tick(), this.intervalMs());
  }

  /** Refreshes now (a focus change, a test), whether or not the timer runs; resolves when done. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.ticks++;
    this.running = this.refresh()
      .catch(() => { /* the refresh reports its own errors; the next tick retries */ })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }
}
