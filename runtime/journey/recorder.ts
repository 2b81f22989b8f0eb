// The worker side of journeys: leave events wait for the next claim's round trip (or a short idle timer), and the
// event payloads the trace and claim scripts take.
import { tagsKey } from '../queue/keys';
import type { JourneySettings } from './settings';

/** A finished file whose leave event is not written yet. */
interface PendingLeave {
  /** Tag key of the claim path (the tags the step set are read from it before it is dropped). */
  k: string;
  /** Original uid (the tags may have moved on with the file). */
  u: string;
  c: string;
  p: string;
  s: string;
  n: number;
  t: number;
}

/** How long finished files wait for a claim to carry their leave events before an idle worker writes them itself. */
const IDLE_FLUSH_MS = 250;

export class JourneyRecorder {
  private pending: PendingLeave[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly settings: JourneySettings, private readonly flush: (leavesJson: string) => Promise<unknown>) {}

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** Seconds to keep, as the scripts take it (0 = off). */
  get keep(): number {
    return this.settings.enabled ? this.settings.keepSeconds : 0;
  }

  /** A file the step finished with success (still at `claimPath` or routed away). */
  leave(claimPath: string, file: { uid: string; originalUid: string; stepCounter: number }, plugin: string, step: string, at = Date.now()): void {
    if (!this.settings.enabled) return;
    this.pending.push({ k: tagsKey(claimPath), u: file.originalUid, c: file.uid, p: plugin, s: step, n: file.stepCounter, t: at });
    this.timer ??= setTimeout(() => void this.flushNow(), IDLE_FLUSH_MS).unref();
  }

  /** The pending leave events as the scripts take them ('' = none); they are then the caller's to write. */
  take(): string {
    if (this.pending.length === 0) return '';
    const json = JSON.stringify(this.pending);
    this.pending = [];
    return json;
  }

  /** Writes what is pending now (idle timer, worker stop). */
  async flushNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const json = this.take();
    if (json !== '') await this.flush(json).catch(() => undefined); // a journey is a best-effort record: never fail the data path
  }
}
