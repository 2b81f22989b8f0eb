// A step's Redis state transitions: the claim bookkeeping (tags, counter, latest, inbound trace) in one round trip, and traces.
import * as path from 'node:path';
import type Redis from 'ioredis';
import { counterKey, failedKey, latestKey, tagsKey, TAGS_TTL_SECONDS, traceEnd, traceKey, TRACE_TTL_SECONDS } from './keys';
import { enterStepValue } from '../tags/tag-names';

/**
 * Runs after files were renamed into their claim paths (one call for every file a worker claimed at once):
 * moves each file's tags from its inbox path to its claim path, sets the "before" core tags, bumps
 * counter/latest and, for a file's first step, its inbound trace. Returns, per file, its step counter and tags.
 * It also deletes the tag keys of files the worker finished since its previous call (saving a round trip).
 * KEYS: counter, latest, <nDrops tag keys>, then per claim: inbox tags, claim tags, inbound trace.
 * ARGV: now, plugin, step, enter_step, tags TTL, trace TTL, nDrops, nClaims, then per claim: basename, dirname, uid.
 */
const CLAIM = `
local nDrops, nClaims = tonumber(ARGV[7]), tonumber(ARGV[8])
for i = 1, nDrops do redis.call('DEL', KEYS[2 + i]) end
redis.call('INCRBY', KEYS[1], nClaims)
redis.call('SET', KEYS[2], ARGV[1])
local enter = ARGV[2] .. '.' .. ARGV[3] .. '.enter_step'
local out = {}
for c = 1, nClaims do
  local k, a = 2 + nDrops + 3 * (c - 1), 8 + 3 * (c - 1)
  local src, dst = KEYS[k + 1], KEYS[k + 2]
  if src ~= dst and redis.call('EXISTS', src) == 1 then redis.call('RENAME', src, dst) end
  local prev = redis.call('HGET', dst, 'latest.core.step_counter')
  local n = 0
  if prev then n = tonumber(prev) + 1 end
  redis.call('HSETNX', dst, 'first.core.original_basename', ARGV[a + 1])
  redis.call('HSETNX', dst, 'first.core.original_dirname', ARGV[a + 2])
  redis.call('HSETNX', dst, 'first.core.original_uid', ARGV[a + 3])
  redis.call('HSET', dst, 'latest.core.step_counter', n, n .. '.' .. enter, ARGV[4], 'latest.' .. enter, ARGV[4],
    'latest.core.inbox_basename', ARGV[a + 1])
  redis.call('EXPIRE', dst, ARGV[5])
  if n == 0 then
    redis.call('INCR', KEYS[k + 3])
    redis.call('EXPIRE', KEYS[k + 3], ARGV[6])
  end
  out[c] = {n, redis.call('HGETALL', dst)}
end
return out`;

interface StepCommands {
  mfdataClaim(...args: string[]): Promise<Array<[number, string[]]>>;
}

/** A file just renamed from `inboxPath` to `claimPath`. */
export interface ClaimInput {
  inboxPath: string;
  claimPath: string;
  uid: string;
}

export interface ClaimRecord {
  /** Step counter of this claim (0 = first step to see the file). */
  stepCounter: number;
  tags: Record<string, string>;
}

export class StepState {
  private readonly commands: StepCommands;

  constructor(readonly redis: Redis, readonly plugin: string, readonly step: string) {
    // numberOfKeys left out: the caller passes it (5 + the tag keys to drop).
    if (!('mfdataClaim' in redis)) redis.defineCommand('mfdataClaim', { lua: CLAIM });
    this.commands = redis as unknown as StepCommands;
  }

  /**
   * Bookkeeping of claims, in one round trip. `dropTagsOf`: files finished since the previous call, whose
   * tags go at the same time. The clock is sub-millisecond so enter_step tags carry real microseconds, as MFDATA's do.
   */
  async recordClaims(claims: ClaimInput[], dropTagsOf: string[] = [], nowMs: number = performance.timeOrigin + performance.now()): Promise<ClaimRecord[]> {
    const now = new Date(nowMs);
    const keys: string[] = [counterKey(this.plugin, this.step), latestKey(this.plugin, this.step), ...dropTagsOf.map(tagsKey)];
    const args: string[] = [String(nowMs / 1000), this.plugin, this.step, enterStepValue(nowMs), String(TAGS_TTL_SECONDS), String(TRACE_TTL_SECONDS),
      String(dropTagsOf.length), String(claims.length)];
    for (const c of claims) {
      const dirname = path.basename(path.dirname(c.inboxPath));
      keys.push(tagsKey(c.inboxPath), tagsKey(c.claimPath), traceKey(`<${dirname}`, traceEnd(this.plugin, this.step), now));
      args.push(path.basename(c.inboxPath), dirname, c.uid);
    }
    const replies = await this.commands.mfdataClaim(String(keys.length), ...keys, ...args);
    return replies.map(([n, flat]) => {
      const tags: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) tags[flat[i]] = flat[i + 1];
      return { stepCounter: Number(n), tags };
    });
  }

  /** Deletes the tag keys of finished files. */
  async dropTags(files: string[]): Promise<void> {
    if (files.length > 0) await this.redis.del(...files.map(tagsKey));
  }

  /** Counts one flow-graph edge from this step to `to` (`plugin/step` or a pseudo target such as `>trash/keep`). */
  async trace(to: string, now: Date = new Date()): Promise<void> {
    const key = traceKey(traceEnd(this.plugin, this.step), to, now);
    await this.redis.multi().incr(key).expire(key, TRACE_TTL_SECONDS).exec();
  }

  /**
   * Counts a failure of this step (`failed.<plugin>.<step>`) and the edge to where the failure policy sent
   * the file, in the one round trip the trace alone would cost.
   */
  async traceFailure(to: string, now: Date = new Date()): Promise<void> {
    const key = traceKey(traceEnd(this.plugin, this.step), to, now);
    await this.redis.multi().incr(key).expire(key, TRACE_TTL_SECONDS).incr(failedKey(this.plugin, this.step)).exec();
  }

  /** Registers an edge with value 0 so a graph shows configured routes before traffic (MFDATA virtual traces). */
  async virtualTrace(to: string, now: Date = new Date()): Promise<void> {
    const key = traceKey(traceEnd(this.plugin, this.step), to, now);
    await this.redis.multi().incrby(key, 0).expire(key, TRACE_TTL_SECONDS).exec();
  }
}
