// The worker side of journeys: leave events wait for the next claim's round trip (or a short idle timer), and the
// event payloads the trace and claim scripts take.
import { tagsKey } from '../queue/keys';
import { JourneyMemoryGate, type GateChange } from './memory-guard';
import type { JourneySettings } from './settings';

/** How long finished files wait for a claim to carry their leave events before an idle worker writes them itself. */
const IDLE_FLUSH_MS = 250;
const HEX = /^[0-9a-f]+$/;

export class JourneyRecorder {
  /** Per finished file: tag key to read the step's tags from ('' = it set none), original uid, event JSON. */
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** `"p":…,"s":…` of the latest leave event, JSON-encoded once. */
  private prefix: { plugin: string; step: string; json: string } | undefined;
  /** Whether Redis has room for journeys (memory-guard.ts): paused, nothing is recorded. */
  readonly gate: JourneyMemoryGate;
  /** Told when recording pauses or resumes (the worker logs it). */
  onGateChange: (change: GateChange) => void = () => undefined;

  /** `recordGap`: keeps a trace of a pause or resume in Redis (memory-guard.ts recordJourneyGap). */
  constructor(readonly settings: JourneySettings, private readonly flush: (leaves: string[]) => Promise<unknown>,
    private readonly recordGap: (change: GateChange) => Promise<void> = async () => undefined) {
    this.gate = new JourneyMemoryGate(settings.maxMemoryPercent);
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** Seconds to keep, as the scripts take it (0 = off, or paused while Redis is short of memory). */
  get keep(): number {
    return this.settings.enabled && !this.gate.paused ? this.settings.keepSeconds : 0;
  }

  /** Whether the claim script should report Redis's memory use this time (journeys on, at most once a second). */
  memoryCheckDue(): boolean {
    return this.settings.enabled && this.gate.checkDue();
  }

  /** A memory report of the claim script (thousandths of maxmemory, -1 = none). */
  memoryReport(permille: number): void {
    const change = this.gate.report(permille);
    if (!change) return;
    if (change.paused) this.pending = []; // not written: Redis is short of memory
    this.onGateChange(change);
    void this.recordGap(change);
  }

  /**
   * A file the step finished with success (still at `claimPath` or routed away). `tagsWritten` false: nothing
   * wrote its tags since the claim, so the event is complete here (no tags set) and Redis need not read them.
   */
  leave(claimPath: string, file: { uid: string; originalUid: string; stepCounter: number }, plugin: string, step: string, at = Date.now(), tagsWritten = true): void {
    if (this.keep === 0) return;
    this.pending.push(tagsWritten ? tagsKey(claimPath) : '', file.originalUid, this.leaveEvent(file.uid, plugin, step, file.stepCounter, at, tagsWritten));
    this.timer ??= setTimeout(() => void this.flushNow(), IDLE_FLUSH_MS).unref();
  }

  /**
   * A LeaveEvent as JSON, by concatenation (once per finished file): `"p"`/`"s"` encoded once per step, the claim uid
   * (hex) as it is. Key order matters to the scripts: the first `"n":` is the step counter (a quote in a name is escaped).
   */
  leaveEvent(uid: string, plugin: string, step: string, n: number, at: number, tagsWritten: boolean): string {
    let prefix = this.prefix;
    if (prefix?.plugin !== plugin || prefix.step !== step) this.prefix = prefix = { plugin, step, json: `"p":${JSON.stringify(plugin)},"s":${JSON.stringify(step)}` };
    const c = HEX.test(uid) ? `"${uid}"` : JSON.stringify(uid);
    return `{"e":"out","c":${c},${prefix.json},"n":${n},"t":${at}${tagsWritten ? '' : ',"tags":{}'}}`;
  }

  /** The pending leave events as the scripts take them (triples of arguments); they are then the caller's to write. */
  take(): string[] {
    const leaves = this.pending;
    this.pending = [];
    return leaves;
  }

  /** Writes what is pending now (idle timer, worker stop). */
  async flushNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const leaves = this.take();
    if (leaves.length > 0) await this.flush(leaves).catch(() => undefined); // a journey is a best-effort record: never fail the data path
  }
}
