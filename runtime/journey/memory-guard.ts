// Journeys must never fill Redis: it runs with maxmemory and noeviction, so a full Redis refuses the data path's
// writes and every worker waits. A journey holds about 490 bytes for a day (1,300 with a route), which at a steady
// 100 files/s is 4 GB: past the default 2 GB maxmemory within the day. Two guards keep journeys within
// `[journeys] max_memory_percent` of maxmemory:
// - workers: the claim script reports Redis's memory use at most once a second (one INFO, no extra round trip, no
//   wake-up of an idle worker); above the share, a worker records no journey until use falls 10 points below it;
// - housekeeping: each pass over the share drops the journeys of the oldest hours of the name index (never the current
//   hour), so recording resumes with the recent journeys kept.
import type Redis from 'ioredis';
import { journalKey, JOURNEY_GAPS_KEY, JOURNEY_NAME_HOURS_KEY, journeyKey, journeyNamesKey } from '../queue/keys';
import type { DataRedis } from '../redis/types';
import { DEFAULT_MAX_MEMORY_PERCENT } from './settings';

/** A worker asks for Redis's memory use at most this often. */
export const MEMORY_CHECK_MS = 1000;
/** Recording resumes this many points below the share (no flapping around it). */
const RESUME_MARGIN_PERCENT = 10;

/**
 * Lua: Redis's used memory in thousandths of maxmemory, or -1 without a maxmemory (nothing to guard).
 * INFO memory is allowed in scripts and costs a few µs: the caller asks once a second.
 */
export const JOURNEY_MEMORY_LUA = `
local function j_memory()
  local info = redis.call('INFO', 'memory')
  local used = tonumber(string.match(info, 'used_memory:(%d+)'))
  local max = tonumber(string.match(info, '\\nmaxmemory:(%d+)'))
  if not used or not max or max == 0 then return -1 end
  return math.floor(used * 1000 / max)
end
`;

/** usedPercent: Redis's use (% of maxmemory); negative when it has no maxmemory. */
export type GateChange = { paused: boolean; usedPercent: number };

/** A worker's decision to record journeys, from the memory reports of its claim script. */
export class JourneyMemoryGate {
  paused = false;
  private lastCheck = -Infinity;
  private readonly percent: number;

  constructor(percent = DEFAULT_MAX_MEMORY_PERCENT, private readonly now: () => number = () => performance.now()) {
    this.percent = percent;
  }

  /** Whether the next claim script should report the memory use (and marks it asked). */
  checkDue(): boolean {
    const t = this.now();
    if (t - this.lastCheck < MEMORY_CHECK_MS) return false;
    this.lastCheck = t;
    return true;
  }

  /** Takes a report (thousandths of maxmemory, -1 = no maxmemory); returns the change of state, if any. */
  report(permille: number): GateChange | undefined {
    const usedPercent = permille / 10;
    const pause = permille >= 0 && (this.paused ? usedPercent >= this.percent - RESUME_MARGIN_PERCENT : usedPercent >= this.percent);
    if (pause === this.paused) return undefined;
    this.paused = pause;
    return { paused: pause, usedPercent };
  }
}

export interface RedisMemory {
  used: number;
  /** 0 = no maxmemory. */
  max: number;
}

export async function redisMemory(redis: Redis): Promise<RedisMemory> {
  const info = await redis.info('memory');
  return { used: Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0), max: Number(/^maxmemory:(\d+)/m.exec(info)?.[1] ?? 0) };
}

export interface TrimReport {
  /** Hours (epoch hour numbers) whose journeys were dropped, oldest first. */
  hours: number[];
  /** Journals (and journeys recorded before journals) removed. */
  journeys: number;
  /** Redis's use (% of maxmemory) before and after. */
  usedPercentBefore: number;
  usedPercentAfter: number;
}

const SCAN_COUNT = 1000;

/**
 * Drops the journeys of the oldest indexed hours (never the current one) while Redis uses more than `percent` of its
 * maxmemory. Undefined when nothing was over (or Redis has no maxmemory).
 */
export async function trimJourneys(redis: Redis, percent: number, nowMs: number, aborted: () => boolean = () => false): Promise<TrimReport | undefined> {
  const first = await redisMemory(redis);
  const over = (m: RedisMemory): boolean => m.max > 0 && (m.used * 100) / m.max >= percent;
  if (!over(first)) return undefined;
  const current = Math.floor(nowMs / 3_600_000);
  const report: TrimReport = { hours: [], journeys: 0, usedPercentBefore: (first.used * 100) / first.max, usedPercentAfter: 0 };
  let memory = first;
  for (const hour of (await redis.zrange(JOURNEY_NAME_HOURS_KEY, 0, -1)).map(Number).filter((h) => h < current).sort((a, b) => a - b)) {
    if (aborted() || !over(memory)) break;
    report.journeys += await dropHour(redis, hour);
    report.hours.push(hour);
    memory = await redisMemory(redis);
  }
  report.usedPercentAfter = memory.max > 0 ? (memory.used * 100) / memory.max : 0;
  return report;
}

/** Removes the journeys an hour's name index lists, then the index itself; returns how many journeys there were. */
async function dropHour(redis: Redis, hour: number): Promise<number> {
  const index = journeyNamesKey(hour);
  let cursor = '0';
  let removed = 0;
  do {
    const [next, flat] = await redis.hscan(index, cursor, 'COUNT', SCAN_COUNT);
    cursor = next;
    const journals = new Set<string>();
    const legacy: string[] = [];
    // Fields: <name> and <name>/<k> hold uids; <name>/ counts the duplicates of a name.
    for (let i = 0; i + 1 < flat.length; i += 2) {
      if (flat[i].endsWith('/')) continue;
      journals.add(journalKey(flat[i + 1]));
      legacy.push(journeyKey(flat[i + 1]));
    }
    if (journals.size > 0) removed += await redis.unlink(...journals, ...legacy);
  } while (cursor !== '0');
  // Not in a MULTI: over maxmemory Redis refuses to queue any command of a transaction, while UNLINK and ZREM alone
  // are allowed (they free memory) — and over maxmemory is when this runs.
  await redis.unlink(index);
  await redis.zrem(JOURNEY_NAME_HOURS_KEY, String(hour));
  return removed;
}

/** A pause, resume or drop of journeys, as `journey-gaps` holds it. */
export interface JourneyGap {
  /** Epoch ms. */
  t: number;
  e: 'paused' | 'resumed' | 'dropped';
  /** Redis's use then (% of maxmemory). */
  used_percent?: number;
  /** paused/resumed: `<plugin>/<step>#<pid>` of the worker. */
  worker?: string;
  /** dropped: the hours (epoch hour numbers) whose journeys went, and how many. */
  hours?: number[];
  journeys?: number;
}

const GAPS_KEPT = 50;
const GAPS_TTL_SECONDS = 7 * 86_400;
const GAP_LUA = `redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`;

/** Records a gap (best effort: over maxmemory Redis refuses it, and nothing depends on it). */
export async function recordJourneyGap(redis: Pick<DataRedis, 'defineCommand'>, gap: JourneyGap): Promise<void> {
  if (!('mfdataJourneyGap' in redis)) redis.defineCommand('mfdataJourneyGap', { numberOfKeys: 1, lua: GAP_LUA });
  await (redis as unknown as { mfdataJourneyGap(...args: string[]): Promise<unknown> })
    .mfdataJourneyGap(JOURNEY_GAPS_KEY, JSON.stringify(gap), String(GAPS_KEPT), String(GAPS_TTL_SECONDS))
    .catch(() => undefined);
}

export async function readJourneyGaps(redis: Redis): Promise<JourneyGap[]> {
  const gaps: JourneyGap[] = [];
  for (const raw of await redis.lrange(JOURNEY_GAPS_KEY, 0, -1)) {
    try {
      gaps.push(JSON.parse(raw) as JourneyGap);
    } catch {
      // an unreadable entry is skipped
    }
  }
  return gaps;
}

/** One line per gap, oldest first, for a reader who found no journey. */
export function describeJourneyGaps(gaps: readonly JourneyGap[]): string[] {
  const at = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  return [...gaps].sort((a, b) => a.t - b.t).map((g) => {
    const used = g.used_percent === undefined ? '' : ` (Redis at ${g.used_percent} % of its maxmemory)`;
    if (g.e === 'dropped') {
      const hours = (g.hours ?? []).map((h) => at(h * 3_600_000).slice(0, 13) + 'h');
      return `${at(g.t)} UTC: housekeeping dropped ${g.journeys ?? 0} journals of files first seen ${hours.join(', ')}${used}`;
    }
    return `${at(g.t)} UTC: journeys ${g.e} by ${g.worker ?? 'a worker'}${used}`;
  });
}
