// The events of a file's journey as stored in its Redis list (written by Lua scripts and step code, read by runtime/flow).

/** A worker claimed the file (written by the claim script). */
export interface EnterEvent {
  e: 'in';
  /** Claim uid: ties the events of one claim together. */
  c: string;
  p: string;
  s: string;
  /** Step counter. */
  n: number;
  /** Epoch ms. */
  t: number;
  /** Base name in the inbox. */
  name: string;
  /** Tags `<n-1>.*` found at the claim (what the previous step set), keyed without the `<n-1>.` prefix. */
  pt?: Record<string, string>;
}

/** The step moved, copied or hard-linked the file to another step, or a pseudo target (switch no-match). */
export interface RouteEvent {
  e: 'route';
  c: string;
  p: string;
  s: string;
  op: 'move' | 'copy' | 'hardlink' | 'pseudo';
  to: string;
  t: number;
}

/** The failure policy applied. */
export interface FailEvent {
  e: 'fail';
  c: string;
  p: string;
  s: string;
  /** Where the policy sent it: `>trash/keep`, `>trash/delete`, `p/s`, `>move/<dir>`. */
  to: string;
  reason: string;
  /** Retries given up (the step's original policy applied by its reinject step). */
  giveup?: boolean;
  t: number;
  /** Tags `<n>.<p>.<s>.*` at that moment. */
  tags?: Record<string, string>;
  n?: number;
}

/** The step returned true (written with the next claim, or shortly after when idle). */
export interface LeaveEvent {
  e: 'out';
  c: string;
  p: string;
  s: string;
  n: number;
  t: number;
  tags?: Record<string, string>;
}

/** An operator put the file back from a trash into a step's inbox. */
export interface ReplayEvent {
  e: 'replay';
  /** `p/s` of the trash it came from. */
  from: string;
  to: string;
  t: number;
}

/** An operator deleted the file from a trash (`mfdata trash delete`, the extension's Delete): its journey ends there. */
export interface PurgeEvent {
  e: 'purge';
  /** `p/s` of the trash it was in. */
  from: string;
  t: number;
}

/** As stored in a journal (runtime/queue/keys.ts journalKey): with the original uid of the file it is about. */
export type JourneyEvent = (EnterEvent | RouteEvent | FailEvent | LeaveEvent | ReplayEvent | PurgeEvent) & { u?: string };

/** Parses one stored event; undefined for anything unreadable (a journey is a best-effort record). */
export function parseEvent(raw: string): JourneyEvent | undefined {
  try {
    const v = JSON.parse(raw) as { e?: unknown };
    if (typeof v !== 'object' || v === null) return undefined;
    return ['in', 'route', 'fail', 'out', 'replay', 'purge'].includes(String(v.e)) ? (v as JourneyEvent) : undefined;
  } catch {
    return undefined;
  }
}
