// Reads the runtime's own per-step stats from its Redis (no vscode): the CLI's `mfdata stats` and the extension's
// views use it. One pipelined round trip whatever the number of steps.
import type Redis from 'ioredis';
import { stepQueueKey } from '../queue/keys';
import { histQuantile } from './histogram';
import { bucketStartSeconds, STATS_BUCKET_SECONDS, STATS_STARTED_KEY, statsBucketKey, statsTotalKey } from './keys';
import { emptyRecord, isEmptyRecord, mergeInto, parseRecord, type StatsRecord } from './record';

export interface StepRef { plugin: string; step: string }

export interface StepFigures {
  /** Files claimed by the step. */
  processed: number;
  /** Files that failed (the failure policy applied). */
  failed: number;
  /** Bytes of the claimed files. */
  bytes: number;
  /** Mean processing time of a file, ms (null: no timed file, e.g. a batch step). */
  meanMs: number | null;
  /** Files with a time (a batch step's files have none). */
  timedFiles: number;
  /** 95th percentile of the file times, ms: the upper bound of its histogram bucket (≤ 9 % above the true value). */
  p95Ms: number | null;
  /** processed / the range's length in seconds. */
  filesPerSecond: number;
  /** Batch steps: batches, failed batches, mean batch time (ms, null when none). */
  batches: number;
  batchesFailed: number;
  batchMeanMs: number | null;
  /** Length of the range, seconds (the last minute: 50–60 s, the current bucket being partial). */
  seconds: number;
}

export interface StepStats extends StepRef {
  /** Messages waiting in the step's queue (LLEN step.<plugin>.<step>). */
  queueLength: number;
  lastMinute: StepFigures;
  sinceStart: StepFigures;
  /** When the since-start totals were reset (the runtime's start), epoch ms; null if never. */
  startedAt: number | null;
}

export interface SeriesPoint {
  /** Bucket start, epoch ms. */
  t: number;
  processed: number;
  failed: number;
  meanMs: number | null;
  p95Ms: number | null;
  /** Added: bytes of the files claimed in the bucket. */
  bytes: number;
}

export interface StepSeries extends StepRef {
  /** Oldest first, one per bucket, zero-filled. */
  points: SeriesPoint[];
}

export interface SeriesOptions {
  /** How far back, minutes (default 15; buckets older than ~16 min have expired). */
  minutes?: number;
  /** Width of one point, seconds: a multiple of 10 (rounded up to one; default 10). */
  bucketSeconds?: number;
}

/** Buckets summed into "the last minute": the current (partial) one and the 5 before it. */
const LAST_MINUTE_BUCKETS = 6;

/** Figures of an aggregate over `seconds`. */
export function figuresOf(r: StatsRecord, seconds: number): StepFigures {
  return {
    processed: r.processed,
    failed: r.failed,
    bytes: r.bytes,
    meanMs: r.timed > 0 ? r.msSum / r.timed : null,
    timedFiles: r.timed,
    p95Ms: histQuantile(r.hist, 0.95),
    filesPerSecond: seconds > 0 ? r.processed / seconds : 0,
    batches: r.batches,
    batchesFailed: r.batchesFailed,
    batchMeanMs: r.batches > 0 ? r.batchMsSum / r.batches : null,
    seconds,
  };
}

type PipelineResult = Array<[Error | null, unknown]> | null;

function resultAt(results: PipelineResult, i: number, what: string): unknown {
  const entry = results?.[i];
  if (!entry) throw new Error(`stats: no Redis reply for ${what}`);
  if (entry[0]) throw new Error(`stats: Redis refused ${what}: ${entry[0].message}`);
  return entry[1];
}

function hashAt(results: PipelineResult, i: number, what: string): StatsRecord {
  const value = resultAt(results, i, what);
  return parseRecord(value !== null && typeof value === 'object' ? value as Record<string, string> : {});
}

/** Queue length, last-minute and since-start figures of each step, in one pipelined round trip. */
export async function readStepStats(redis: Redis, steps: StepRef[], now: number = Date.now()): Promise<StepStats[]> {
  const current = bucketStartSeconds(now);
  const oldest = current - (LAST_MINUTE_BUCKETS - 1) * STATS_BUCKET_SECONDS;
  const pipeline = redis.pipeline().get(STATS_STARTED_KEY);
  for (const { plugin, step } of steps) {
    pipeline.llen(stepQueueKey(plugin, step)).hgetall(statsTotalKey(plugin, step));
    for (let b = oldest; b <= current; b += STATS_BUCKET_SECONDS) pipeline.hgetall(statsBucketKey(plugin, step, b));
  }
  const results = await pipeline.exec();
  const startedRaw = resultAt(results, 0, STATS_STARTED_KEY);
  const startedAt = typeof startedRaw === 'string' && Number.isFinite(Number(startedRaw)) ? Number(startedRaw) : null;
  const perStep = 2 + LAST_MINUTE_BUCKETS;
  const minuteSeconds = Math.max(1, (now - oldest * 1000) / 1000);
  const sinceSeconds = startedAt !== null ? Math.max(1, (now - startedAt) / 1000) : 0;
  return steps.map(({ plugin, step }, s) => {
    const base = 1 + s * perStep;
    const queueLength = Number(resultAt(results, base, stepQueueKey(plugin, step))) || 0;
    const total = hashAt(results, base + 1, statsTotalKey(plugin, step));
    const minute = emptyRecord();
    for (let b = 0; b < LAST_MINUTE_BUCKETS; b++) mergeInto(minute, hashAt(results, base + 2 + b, `stats bucket of ${plugin}/${step}`));
    return {
      plugin, step, queueLength, startedAt,
      lastMinute: figuresOf(minute, minuteSeconds),
      sinceStart: figuresOf(total, sinceSeconds),
    };
  });
}

/**
 * A bucket is final once it ended this long ago: a worker writes its counts within a second of counting them
 * (recorder.ts, STATS_FLUSH_MS), so 30 s leaves room for a slow Redis.
 */
const SETTLED_AFTER_MS = 30_000;

/** An empty bucket, shared by every settled empty one (most of them): never written to. */
const EMPTY: StatsRecord = emptyRecord();

/**
 * Reads step series and keeps the buckets that can no longer change, so a refresh reads only the last few buckets
 * of each step: ~4 per step instead of 90 for 15 minutes of 10 s points (200 steps: 800 HGETALL, not 18,000).
 * One reader per Redis: a reader used against another Redis would show the first one's past.
 */
export class StepSeriesReader {
  /** Bucket key → its counts, for buckets that ended SETTLED_AFTER_MS ago; with the bucket start, for eviction. */
  private readonly settled = new Map<string, { start: number; record: StatsRecord }>();

  /** Buckets kept from earlier reads (tests, benchmarks). */
  get cachedBuckets(): number {
    return this.settled.size;
  }

  /**
   * Each step's figures per point over the last `minutes` (default 15), oldest first, the last point holding
   * `now`; points without traffic are zeros. One pipelined round trip, of the buckets not settled yet.
   */
  async read(redis: Redis, steps: StepRef[], opts: SeriesOptions = {}, now: number = Date.now()): Promise<StepSeries[]> {
    const minutes = opts.minutes ?? 15;
    const width = Math.max(1, Math.ceil((opts.bucketSeconds ?? STATS_BUCKET_SECONDS) / STATS_BUCKET_SECONDS)) * STATS_BUCKET_SECONDS;
    const count = Math.max(1, Math.ceil((minutes * 60) / width));
    const last = bucketStartSeconds(now, width);
    const first = last - (count - 1) * width;
    const perPoint = width / STATS_BUCKET_SECONDS;
    if (steps.length === 0) return [];
    this.evictBefore(first);
    const records = new Map<string, StatsRecord>();
    const missing: Array<{ key: string; start: number }> = [];
    for (const { plugin, step } of steps) {
      for (let b = first; b < last + width; b += STATS_BUCKET_SECONDS) {
        const key = statsBucketKey(plugin, step, b);
        const kept = this.settled.get(key);
        if (kept) records.set(key, kept.record);
        else missing.push({ key, start: b });
      }
    }
    if (missing.length > 0) {
      const pipeline = redis.pipeline();
      for (const { key } of missing) pipeline.hgetall(key);
      const results = await pipeline.exec();
      missing.forEach(({ key, start }, i) => {
        const parsed = hashAt(results, i, `stats bucket ${key}`);
        const record = isEmptyRecord(parsed) ? EMPTY : parsed;
        records.set(key, record);
        if ((start + STATS_BUCKET_SECONDS) * 1000 + SETTLED_AFTER_MS <= now) this.settled.set(key, { start, record });
      });
    }
    return steps.map(({ plugin, step }) => {
      const points: SeriesPoint[] = [];
      for (let p = 0; p < count; p++) {
        const r = emptyRecord();
        const pointStart = first + p * width;
        for (let j = 0; j < perPoint; j++) mergeInto(r, records.get(statsBucketKey(plugin, step, pointStart + j * STATS_BUCKET_SECONDS)) ?? EMPTY);
        const f = figuresOf(r, width);
        points.push({ t: pointStart * 1000, processed: f.processed, failed: f.failed, meanMs: f.meanMs, p95Ms: f.p95Ms, bytes: f.bytes });
      }
      return { plugin, step, points };
    });
  }

  /** Forgets every bucket. */
  clear(): void {
    this.settled.clear();
  }

  private evictBefore(first: number): void {
    for (const [key, { start }] of this.settled) if (start < first) this.settled.delete(key);
  }
}

/** Each step's figures per point over the last `minutes`, read whole (no buckets kept): see StepSeriesReader. */
export function readStepSeries(redis: Redis, steps: StepRef[], opts: SeriesOptions = {}, now: number = Date.now()): Promise<StepSeries[]> {
  return new StepSeriesReader().read(redis, steps, opts, now);
}
