// One aggregate of step stats (a 10-second bucket, the since-start total, or their sum) and its Redis hash form.
import { histIndex } from './histogram';

/** Counts of a step over some time range: what `stats@<plugin>/<step>@…` hashes hold. */
export interface StatsRecord {
  /** Files claimed (MFDATA's number_of_processed_files). */
  processed: number;
  /** Files whose processing failed (number_of_processing_errors). */
  failed: number;
  /** Bytes of the claimed files (bytes_of_processed_files). */
  bytes: number;
  /** Files with a time (processing_file_timer; batch steps have none). */
  timed: number;
  /** Sum of those times, ms. */
  msSum: number;
  /** Batches of a batch step, failed batches (at least one file failed), and their summed time in ms. */
  batches: number;
  batchesFailed: number;
  batchMsSum: number;
  /** File times: histogram bucket index (histogram.ts) → count. */
  hist: Map<number, number>;
}

/** Hash field names: counters as plain integers, `ms_sum`/`batch_ms_sum` as floats, the histogram as `h<k>`. */
export const FIELD = {
  processed: 'processed', failed: 'failed', bytes: 'bytes', timed: 'timed', msSum: 'ms_sum',
  batches: 'batches', batchesFailed: 'batches_failed', batchMsSum: 'batch_ms_sum',
} as const;

const INTEGER_FIELDS = ['processed', 'failed', 'bytes', 'timed', 'batches', 'batchesFailed'] as const;
const FLOAT_FIELDS = ['msSum', 'batchMsSum'] as const;

export function emptyRecord(): StatsRecord {
  return { processed: 0, failed: 0, bytes: 0, timed: 0, msSum: 0, batches: 0, batchesFailed: 0, batchMsSum: 0, hist: new Map() };
}

export function isEmptyRecord(r: StatsRecord): boolean {
  return r.processed === 0 && r.failed === 0 && r.timed === 0 && r.batches === 0;
}

/** Counts one file time. */
export function addTime(r: StatsRecord, ms: number): void {
  r.timed += 1;
  r.msSum += ms;
  const k = histIndex(ms);
  r.hist.set(k, (r.hist.get(k) ?? 0) + 1);
}

/** Adds `from` into `into` (buckets merged into a minute, a series point, or a total). */
export function mergeInto(into: StatsRecord, from: StatsRecord): StatsRecord {
  for (const f of INTEGER_FIELDS) into[f] += from[f];
  for (const f of FLOAT_FIELDS) into[f] += from[f];
  for (const [k, c] of from.hist) into.hist.set(k, (into.hist.get(k) ?? 0) + c);
  return into;
}

/** A hash as HGETALL returns it; missing or unreadable fields count as 0, unknown fields are ignored. */
export function parseRecord(hash: Readonly<Record<string, string>>): StatsRecord {
  const r = emptyRecord();
  for (const [field, raw] of Object.entries(hash)) {
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    if (field.startsWith('h')) {
      const k = Number(field.slice(1));
      if (Number.isInteger(k) && k >= 0) r.hist.set(k, (r.hist.get(k) ?? 0) + value);
      continue;
    }
    for (const f of INTEGER_FIELDS) if (FIELD[f] === field) r[f] += value;
    for (const f of FLOAT_FIELDS) if (FIELD[f] === field) r[f] += value;
  }
  return r;
}

/** The increments of a record as [field, value] pairs, integers and floats apart (HINCRBY vs HINCRBYFLOAT); zeros left out. */
export function recordIncrements(r: StatsRecord): { ints: Array<[string, number]>; floats: Array<[string, number]> } {
  const ints: Array<[string, number]> = [];
  const floats: Array<[string, number]> = [];
  for (const f of INTEGER_FIELDS) if (r[f] !== 0) ints.push([FIELD[f], r[f]]);
  for (const [k, c] of r.hist) ints.push([`h${k}`, c]);
  for (const f of FLOAT_FIELDS) if (r[f] !== 0) floats.push([FIELD[f], r[f]]);
  return { ints, floats };
}
