// A file's journey as the journey view shows it: one row per step visit (attempt, enter/leave, duration, tags set,
// outcome), a timeline scale and a sentence saying where the file ended. Pure (no vscode), tested on plain data.
import type { Journey } from './contract';
import { formatDuration, type NodeModel } from '../views/model';
import { journeyKey } from './trashModel';

export interface JourneyRow {
  plugin: string;
  step: string;
  /** 1 for the first time the file entered this step, 2 for a retry or a replay… */
  attempt: number;
  /** A replay from the trash into this step, not a visit. */
  replay: boolean;
  /** ISO timestamps (UTC). */
  entered: string;
  left?: string;
  /** `120 ms`, `3.2 s`, `still there`. */
  duration: string;
  outcome: string;
  to?: string;
  /** Tags the step set, sorted by name. */
  tags: Array<[string, string]>;
  /** Timeline: start and length as fractions (0..1) of the whole journey. */
  start: number;
  length: number;
  /** The visit failed (outcome names a failure, trash, give-up, or an error). */
  failed: boolean;
}

export interface JourneyView {
  uid: string;
  originalName: string;
  rows: JourneyRow[];
  /** `done after 2 steps in 1.2 s`, `in the trash of normalize/main`… */
  final: string;
  finalOutcome: Journey['final']['outcome'];
  total: string;
}

const FAILED = /fail|error|trash|gave up|give up|exception|timed? ?out|abandon/i;

/** Milliseconds as a person reads them: `850 ms`, `3.2 s`, then the tree views' coarse units. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms);
}

export function journeyView(journey: Journey, now: number = Date.now()): JourneyView {
  const steps = [...journey.steps].sort((a, b) => a.enteredAt - b.enteredAt || a.attempt - b.attempt);
  const first = steps[0]?.enteredAt ?? now;
  const last = steps.reduce((max, s) => Math.max(max, s.leftAt ?? now), first);
  const span = Math.max(1, last - first);
  const rows = steps.map((s): JourneyRow => {
    const end = s.leftAt ?? now;
    return {
      plugin: s.plugin,
      step: s.step,
      attempt: s.attempt + 1,
      // An operator's action on the trash (put back, deleted): drawn apart, never as a failure.
      replay: s.kind === 'replay' || s.kind === 'purge',
      entered: new Date(s.enteredAt).toISOString(),
      left: s.leftAt === null ? undefined : new Date(s.leftAt).toISOString(),
      duration: s.leftAt === null ? `${formatElapsed(end - s.enteredAt)}, still there` : formatElapsed(end - s.enteredAt),
      outcome: s.reason ? `${s.outcome} (${s.reason})` : s.outcome,
      to: s.to,
      tags: Object.entries(s.tagsSet).sort(([a], [b]) => a.localeCompare(b)),
      start: (s.enteredAt - first) / span,
      length: Math.max(0.005, (end - s.enteredAt) / span),
      failed: s.kind !== 'replay' && s.kind !== 'purge' && FAILED.test(s.outcome),
    };
  });
  const total = formatElapsed(last - first);
  return { uid: journey.uid, originalName: journey.originalName, rows, final: finalSentence(journey, rows.filter((r) => !r.replay).length, total), finalOutcome: journey.final.outcome, total };
}

function finalSentence(journey: Journey, visits: number, total: string): string {
  const where = journey.final.where ? ` ${journey.final.where}` : '';
  const after = `after ${visits} step visit${visits === 1 ? '' : 's'} in ${total}`;
  switch (journey.final.outcome) {
    case 'done':
      return `done${where ? ` in${where}` : ''} ${after}`;
    case 'trash':
      return `in the trash${where ? ` (${where.trim()})` : ''} ${after}`;
    case 'deleted':
      return `deleted${where ? ` by${where}` : ''} ${after}`;
    case 'moved':
      return `moved${where ? ` to${where}` : ''} ${after}`;
    case 'gave-up':
      return `given up${where ? ` at${where}` : ''} ${after}`;
    case 'in-progress':
      return `still in progress${where ? ` at${where}` : ''} (${visits} step visit${visits === 1 ? '' : 's'} so far)`;
  }
}

/**
 * The uid or name a log record's journey is looked up by: its `original_uid`/`uid` field when it holds a file uid
 * (32 hex digits), else its `original_basename`. Undefined for records about no file.
 */
export function journeyKeyOfRecord(record: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!record) return undefined;
  for (const key of ['original_uid', 'uid']) {
    const v = record[key];
    if (typeof v === 'string' && /^[0-9a-f]{32}$/i.test(v)) return v;
  }
  const name = record.original_basename;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function isNode(x: unknown): x is NodeModel {
  return typeof x === 'object' && x !== null && 'id' in x && 'kind' in x;
}

/** The queue of a queued message (a Queues view node): its file has no journey until a step claims it. */
export function queuedIn(arg: unknown): string | undefined {
  return isNode(arg) && arg.kind === 'message' ? arg.queue : undefined;
}

/** The uid or name a command argument names: a string, a queued message, a trash file node, `{ uid }` or `{ name }`. */
export function journeyQuery(arg: unknown, trashTags?: (file: string) => Record<string, string> | undefined): string | undefined {
  if (typeof arg === 'string') return arg.trim() || undefined;
  if (isNode(arg)) {
    if (arg.kind === 'trashFile' && arg.file) return journeyKey({ name: arg.label, tags: trashTags?.(arg.file) ?? {} });
    if (arg.kind === 'message') return arg.label;
    return undefined;
  }
  if (typeof arg === 'object' && arg !== null) {
    const o = arg as { uid?: unknown; name?: unknown };
    if (typeof o.uid === 'string' && o.uid) return o.uid;
    if (typeof o.name === 'string' && o.name) return o.name;
  }
  return undefined;
}
