// Writes a step worker's own stats to the runtime's Redis: counts kept in memory per 10 s bucket and flushed
// in one pipelined round trip at most once a second, the timer armed only when there is something to flush.
import type { DataBatch, DataRedis } from '../redis/types';
import { bucketStartSeconds, STATS_BUCKET_SECONDS, STATS_BUCKET_TTL_SECONDS, STATS_STEPS_KEY, statsBucketKey, statsTotalKey } from './keys';
import { addTime, emptyRecord, isEmptyRecord, mergeInto, recordIncrements, type StatsRecord } from './record';

/** The plain counters of a record (batchMsSum: summed batch times). */
export type CountField = 'processed' | 'failed' | 'bytes' | 'batches' | 'batchesFailed' | 'batchMsSum';

/** At most one flush per this many ms: the cost of stats is one round trip a second, whatever the file rate. */
export const STATS_FLUSH_MS = 1000;

export interface RecorderOptions {
  /** Told once per run of failed flushes (Redis down): the counts of those flushes are lost. */
  warn?: (event: string, fields: Record<string, string | number>) => void;
  /** The clock (tests). */
  now?: () => number;
  flushMs?: number;
}

type Pipeline = DataBatch;

export class StepStatsRecorder {
  /** Bucket start (epoch s) → counts not flushed yet; usually one entry. */
  private readonly pending = new Map<number, StatsRecord>();
  private current: StatsRecord | undefined;
  private currentStart = -1;
  private currentEnd = -1;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private readonly now: () => number;
  private readonly flushMs: number;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly redis: DataRedis, readonly plugin: string, readonly step: string, private readonly options: RecorderOptions = {}) {
    this.now = options.now ?? Date.now;
    this.flushMs = options.flushMs ?? STATS_FLUSH_MS;
  }

  /** Adds to one counter of the current bucket. */
  add(field: CountField, value: number): void {
    this.record()[field] += value;
  }

  /** A file's processing time, ms (processing_file_timer). */
  fileTime(ms: number): void {
    addTime(this.record(), ms);
  }

  /** Writes what is pending (one round trip), and waits for a flush already under way. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const pipeline = this.takePending();
    if (!pipeline) return this.inFlight;
    const done = this.inFlight.then(() => pipeline.exec()).then(
      (results) => this.reportErrors(results?.find(([err]) => err)?.[0] ?? null),
      (err: unknown) => this.reportErrors(err instanceof Error ? err : new Error(String(err))),
    );
    this.inFlight = done;
    return done;
  }

  /** Final flush (graceful exit). */
  close(): Promise<void> {
    return this.flush();
  }

  /** The record of the bucket holding now; arms the flush timer if it is not. */
  private record(): StatsRecord {
    const now = this.now();
    if (!this.current || now >= this.currentEnd || now < this.currentStart) {
      const start = bucketStartSeconds(now);
      this.currentStart = start * 1000;
      this.currentEnd = this.currentStart + STATS_BUCKET_SECONDS * 1000;
      let r = this.pending.get(start);
      if (!r) {
        r = emptyRecord();
        this.pending.set(start, r);
      }
      this.current = r;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      // The worker's own loop keeps the process alive; close() flushes what is left.
      this.timer.unref();
    }
    return this.current;
  }

  /** Builds the pipeline of the pending counts (buckets, then their sum into the total), and forgets them. */
  private takePending(): Pipeline | undefined {
    const total = emptyRecord();
    const pipeline = this.redis.pipeline();
    let any = false;
    for (const [start, r] of this.pending) {
      if (isEmptyRecord(r)) continue;
      any = true;
      const key = statsBucketKey(this.plugin, this.step, start);
      addIncrements(pipeline, key, r);
      pipeline.expire(key, STATS_BUCKET_TTL_SECONDS);
      mergeInto(total, r);
    }
    this.pending.clear();
    this.current = undefined;
    if (!any) return undefined;
    addIncrements(pipeline, statsTotalKey(this.plugin, this.step), total);
    pipeline.sadd(STATS_STEPS_KEY, `${this.plugin}/${this.step}`);
    return pipeline;
  }

  private reportErrors(err: Error | null): void {
    if (err && !this.failing) this.options.warn?.('stats: cannot write the step stats to Redis; those counts are lost', { plugin: this.plugin, step: this.step, error: err.message });
    this.failing = err !== null;
  }
}

function addIncrements(pipeline: Pipeline, key: string, r: StatsRecord): void {
  const { ints, floats } = recordIncrements(r);
  for (const [field, value] of ints) pipeline.hincrby(key, field, value);
  for (const [field, value] of floats) pipeline.hincrbyfloat(key, field, value);
}
