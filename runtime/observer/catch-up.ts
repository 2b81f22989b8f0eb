// Catch-up after lost events: when a recovery rescan (start-up, inotify overflow, Redis back, watcher restarted) stopped at
// poll_queue_limit, the section is rescanned again each time its queue has drained to half the limit, until every file on disk was announced.

/**
 * Why this exists: a rescan pushes at most `poll_queue_limit - LLEN` events (MFDATA's guard against flooding
 * Redis). After an overflow with 100,000 files waiting, that left 90,000 of them unannounced until the next
 * `forced_poll` (300 s by default, or never). The periodic forced poll keeps MFDATA's meaning; only recovery
 * rescans are continued here, and only while files are left over.
 */
export interface CatchUpIo {
  /** LLEN of the section's queue. */
  queueLength(): Promise<number>;
  /** Runs one more rescan of the section, skipping (and adding to) `announced`. */
  rescan(): Promise<void>;
}

/** How often the queue length is read while a catch-up is active (never otherwise: an idle observer makes no wake-ups). */
export const CATCH_UP_CHECK_MS = 1000;

export class CatchUp {
  /**
   * Names announced since the loss (by the rounds, and by events seen meanwhile): still on disk means queued or being
   * claimed, so a later round does not push them again and spends its budget on files nobody announced yet.
   */
  readonly announced = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly limit: number, private readonly io: CatchUpIo, private readonly everyMs = CATCH_UP_CHECK_MS) {}

  get active(): boolean {
    return this.timer !== undefined;
  }

  /** Keeps checking the queue until stop(); calling it again while active changes nothing. */
  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.everyMs);
  }

  /** Ends the catch-up and forgets what was announced (a new loss starts from an empty list). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.announced.clear();
  }

  /** Another round once the queue is at or below half the limit, so each round is worth a directory listing. */
  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      if ((await this.io.queueLength()) <= Math.floor(this.limit / 2)) await this.io.rescan();
    } catch {
      // Redis away: the next tick tries again, and Redis coming back starts a fresh recovery rescan anyway.
    } finally {
      this.busy = false;
    }
  }
}
