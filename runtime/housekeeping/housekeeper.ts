// The housekeeping loop: one walk per interval (a single timer, nothing in between), deletions logged per directory,
// tags of deleted files dropped from Redis.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Redis from 'ioredis';
import { runtimeHome, type RuntimeHome } from '../home';
import type { LogFields } from '../log/mflog';
import { tagsKey } from '../queue/keys';
import { archiveRootsOf, readResolvedPlugins } from './archives';
import { planArchive, planInbox, type Deletion, type Limits, type StuckQueue } from './plan';
import { walkFiles } from './walk';
import { recordJourneyGap, trimJourneys, type TrimReport } from '../journey/memory-guard';

export type HousekeepingLog = (level: 'debug' | 'info' | 'warning' | 'error', event: string, fields?: LogFields) => void;

export interface HousekeeperOptions {
  home: string;
  intervalMs: number;
  limits: Limits;
  /** Where the tags live; without it only files are deleted. */
  redis?: Redis;
  log: HousekeepingLog;
  now?: () => number;
  /** `[journeys] max_memory_percent`: over it, the journeys of the oldest hours are dropped (needs `redis`). */
  journeysMaxMemoryPercent?: number;
}

export interface PassReport {
  deleted: { group: string; reason: Deletion['reason']; count: number }[];
  /** Redis tag hashes that existed for the deleted files and were removed. */
  tagsRemoved: number;
  stuck: StuckQueue[];
  /** Journeys dropped because Redis was short of memory. */
  journeysTrimmed?: TrimReport;
}

const UNLINK_BATCH = 1000;

export class Housekeeper {
  private readonly home: RuntimeHome;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(private readonly options: HousekeeperOptions) {
    this.home = runtimeHome(options.home);
  }

  /** A pass now, then one every interval after the previous one ended (passes never overlap). */
  start(): void {
    const tick = (): void => {
      this.timer = undefined;
      this.running = this.runOnce()
        .catch((err: unknown) => this.options.log('error', 'housekeeping pass failed', { error: err instanceof Error ? err.message : String(err), home: this.home.root }))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    tick();
  }

  /** Cancels the timer and waits for a pass in progress, which stops between two files. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  async runOnce(): Promise<PassReport> {
    const now = (this.options.now ?? Date.now)();
    const { log } = this.options;
    const tmp = path.join(this.home.inDir, 'tmp');
    const inFiles = await walkFiles(this.home.inDir, { skip: (dir) => dir === tmp, aborted: () => this.stopped });
    const plan = planInbox(this.home.inDir, inFiles, now, this.options.limits);

    const { plugins, errors } = readResolvedPlugins(this.home.configAutoDir);
    for (const e of errors) log('warning', 'housekeeping cannot read a plugin configuration; its archives are not cleaned this pass', { error: e });
    const { roots, skipped } = archiveRootsOf(plugins, this.home.inDir);
    for (const s of skipped) log('warning', 'archive lifetime not enforced', { step: s.label, file: s.file, reason: s.reason });
    const deletions = [...plan.deletions];
    for (const root of roots) {
      if (this.stopped) break;
      deletions.push(...planArchive(root, await walkFiles(root.dir, { aborted: () => this.stopped }), now));
    }

    const report: PassReport = { deleted: [], tagsRemoved: 0, stuck: plan.stuck };
    for (const d of deletions) {
      const removed: string[] = [];
      for (const file of d.paths) {
        if (this.stopped) break;
        try {
          if (await unlinkIfPresent(file)) removed.push(file);
        } catch (err) {
          // One undeletable file (permissions) must not stop the rest of the pass.
          log('warning', 'housekeeping cannot delete a file', { file, error: (err as Error).message });
        }
      }
      if (removed.length === 0) continue;
      const tags = await this.dropTags(removed);
      report.tagsRemoved += tags;
      report.deleted.push({ group: d.group, reason: d.reason, count: removed.length });
      log('info', 'housekeeping deleted old files', { dir: d.group, reason: d.reason, count: removed.length, tags_removed: tags });
    }
    await this.trimJourneys(report, now);
    for (const s of plan.stuck) {
      log('warning', 'queued files older than other_max_lifetime: is a step stuck or too slow? (housekeeping never deletes queued work)', {
        dir: s.group, count: s.count, oldest_age_minutes: Math.floor(s.oldestAgeMs / 60_000),
      });
    }
    return report;
  }

  /** Redis short of memory: the journeys of the oldest hours go (the data path keeps its room). */
  private async trimJourneys(report: PassReport, now: number): Promise<void> {
    const { redis, journeysMaxMemoryPercent: percent, log } = this.options;
    if (!redis || percent === undefined || this.stopped) return;
    const trimmed = await trimJourneys(redis, percent, now, () => this.stopped);
    if (!trimmed) return;
    report.journeysTrimmed = trimmed;
    const fields = {
      journeys: trimmed.journeys, hours: trimmed.hours.map((h) => new Date(h * 3_600_000).toISOString()), max_memory_percent: percent,
      redis_used_percent_before: Math.round(trimmed.usedPercentBefore * 10) / 10, redis_used_percent_after: Math.round(trimmed.usedPercentAfter * 10) / 10,
    };
    if (trimmed.hours.length > 0) {
      log('warning', 'housekeeping dropped the oldest journeys: Redis is short of memory', fields);
      await recordJourneyGap(redis, { t: now, e: 'dropped', hours: trimmed.hours, journeys: trimmed.journeys, used_percent: fields.redis_used_percent_after });
    }
    else log('warning', 'Redis is short of memory and only the current hour has journeys: workers pause journeys until there is room', fields);
  }

  private async dropTags(files: readonly string[]): Promise<number> {
    const redis = this.options.redis;
    if (!redis) return 0;
    let removed = 0;
    for (let i = 0; i < files.length; i += UNLINK_BATCH) {
      removed += await redis.unlink(...files.slice(i, i + UNLINK_BATCH).map(tagsKey));
    }
    return removed;
  }
}

async function unlinkIfPresent(file: string): Promise<boolean> {
  try {
    await fs.promises.unlink(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new Error(`cannot delete ${file}: ${(err as Error).message} (check its permissions)`);
  }
}
