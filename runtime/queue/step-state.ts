// A step's Redis state transitions: the claim bookkeeping (tags, counter, latest, inbound trace) in one round trip, and traces.
import * as path from 'node:path';
import type Redis from 'ioredis';
import { counterKey, latestKey, tagsKey, TAGS_TTL_SECONDS, traceEnd, traceKey, TRACE_TTL_SECONDS } from './keys';
import { enterStepValue } from '../tags/tag-names';

/**
 * Runs after the file was renamed into its claim path: moves the tags from the inbox path to the claim
 * path, sets the "before" core tags, bumps counter/latest and, for a file's first step, its inbound trace.
 * Returns the step counter and every tag of the file.
 */
const CLAIM = `
local src, dst = KEYS[1], KEYS[2]
if src ~= dst and redis.call('EXISTS', src) == 1 then redis.call('RENAME', src, dst) end
local prev = redis.call('HGET', dst, 'latest.core.step_counter')
local n = 0
if prev then n = tonumber(prev) + 1 end
redis.call('HSETNX', dst, 'first.core.original_basename', ARGV[5])
redis.call('HSETNX', dst, 'first.core.original_dirname', ARGV[6])
redis.call('HSETNX', dst, 'first.core.original_uid', ARGV[7])
redis.call('HSET', dst, 'latest.core.step_counter', n,
  n .. '.' .. ARGV[2] .. '.' .. ARGV[3] .. '.enter_step', ARGV[4],
  'latest.' .. ARGV[2] .. '.' .. ARGV[3] .. '.enter_step', ARGV[4],
  'latest.core.inbox_basename', ARGV[5])
redis.call('EXPIRE', dst, ARGV[8])
redis.call('INCR', KEYS[3])
redis.call('SET', KEYS[4], ARGV[1])
if n == 0 then
  redis.call('INCR', KEYS[5])
  redis.call('EXPIRE', KEYS[5], ARGV[9])
end
return {n, redis.call('HGETALL', dst)}`;

interface StepCommands {
  mfdataClaim(...args: string[]): Promise<[number, string[]]>;
}

export interface ClaimRecord {
  /** Step counter of this claim (0 = first step to see the file). */
  stepCounter: number;
  tags: Record<string, string>;
}

export class StepState {
  private readonly commands: StepCommands;

  constructor(readonly redis: Redis, readonly plugin: string, readonly step: string) {
    if (!('mfdataClaim' in redis)) redis.defineCommand('mfdataClaim', { numberOfKeys: 5, lua: CLAIM });
    this.commands = redis as unknown as StepCommands;
  }

  /** Bookkeeping of a claim: `inboxPath` was renamed to `claimPath` (its tags follow). */
  async recordClaim(inboxPath: string, claimPath: string, newUid: string, nowMs: number = Date.now()): Promise<ClaimRecord> {
    const now = new Date(nowMs);
    const dirname = path.basename(path.dirname(inboxPath));
    const [n, flat] = await this.commands.mfdataClaim(
      tagsKey(inboxPath), tagsKey(claimPath), counterKey(this.plugin, this.step), latestKey(this.plugin, this.step),
      traceKey(`<${dirname}`, traceEnd(this.plugin, this.step), now),
      String(nowMs / 1000), this.plugin, this.step, enterStepValue(nowMs), path.basename(inboxPath), dirname, newUid,
      String(TAGS_TTL_SECONDS), String(TRACE_TTL_SECONDS),
    );
    const tags: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) tags[flat[i]] = flat[i + 1];
    return { stepCounter: Number(n), tags };
  }

  /** Counts one flow-graph edge from this step to `to` (`plugin/step` or a pseudo target such as `>trash/keep`). */
  async trace(to: string, now: Date = new Date()): Promise<void> {
    const key = traceKey(traceEnd(this.plugin, this.step), to, now);
    await this.redis.multi().incr(key).expire(key, TRACE_TTL_SECONDS).exec();
  }

  /** Registers an edge with value 0 so a graph shows configured routes before traffic (MFDATA virtual traces). */
  async virtualTrace(to: string, now: Date = new Date()): Promise<void> {
    const key = traceKey(traceEnd(this.plugin, this.step), to, now);
    await this.redis.multi().incrby(key, 0).expire(key, TRACE_TTL_SECONDS).exec();
  }
}
