// A step's Redis state transitions: the claim bookkeeping (tags, counter, latest, inbound trace) in one round trip, and traces.
import * as path from 'node:path';
import type { DataRedis } from '../redis/types';
import { counterKey, EDGE_FILES_CAP, failedKey, latestKey, tagsKey, TAGS_TTL_SECONDS, traceEnd, traceErrorsKey, traceKey, TRACE_TTL_SECONDS } from './keys';
import { enterStepTag, enterStepValue, INBOX_BASENAME, ORIGINAL_BASENAME, ORIGINAL_DIRNAME, ORIGINAL_UID, STEP_COUNTER } from '../tags/tag-names';
import { JOURNEY_LUA_HELPERS, LEAVES_LUA, TRACE_LUA } from '../journey/lua';
import { JOURNEY_MEMORY_LUA, recordJourneyGap } from '../journey/memory-guard';
import { JourneyRecorder } from '../journey/recorder';
import { journeySettingsFromEnv, type JourneySettings } from '../journey/settings';

/**
 * Runs after files were renamed into their claim paths (one call for every file a worker claimed at once):
 * moves each file's tags from its inbox path to its claim path, sets the "before" core tags, bumps
 * counter/latest and, for a file's first step, its inbound trace. Returns, per file, its step counter and tags, or
 * only 0 for a file that had no tags (the common first step: the worker knows every tag it then has, so neither a
 * read of the hash nor its transfer is needed; one HSET + EXPIRE writes them).
 * It also deletes the tag keys of files the worker finished since its previous call (saving a round trip).
 * With journeys on it also appends each file's claim event to its journey (with the tags the previous step set),
 * indexes a new file's original name, and writes the leave events of files finished since the previous call.
 * KEYS: counter, latest, <nDrops tag keys>, then per claim: inbox tags, claim tags, inbound trace.
 * ARGV: now, plugin, step, enter_step, tags TTL, trace TTL, nDrops, nClaims, then per claim: basename, dirname, uid,
 * basename as a JSON string ('' with journeys off), then journey keep seconds (0 = off), edge files cap,
 * '"p":<plugin>,"s":<step>' as JSON, '1' to report Redis's memory use (else ''), pending leave events (triples: tag
 * key or '', original uid, event JSON). Asked to, it adds the memory use after the claims' replies (memory-guard.ts).
 */
const CLAIM = `${JOURNEY_LUA_HELPERS}${JOURNEY_MEMORY_LUA}
local nDrops, nClaims = tonumber(ARGV[7]), tonumber(ARGV[8])
local jb = 8 + 4 * nClaims
local keep, cap, ps = tonumber(ARGV[jb + 1]) or 0, tonumber(ARGV[jb + 2]) or 50, ARGV[jb + 3]
local tms = math.floor(tonumber(ARGV[1]) * 1000)
-- Leave events first: they read the tags of finished files, which the drops below delete.
j_leaves(keep, ARGV, jb + 5)
for i = 1, nDrops do redis.call('DEL', KEYS[2 + i]) end
redis.call('INCRBY', KEYS[1], nClaims)
redis.call('SET', KEYS[2], ARGV[1])
local enter = ARGV[2] .. '.' .. ARGV[3] .. '.enter_step'
local out = {}
-- Per batch, not per file: one INCRBY/EXPIRE per inbound trace key; one entry in an inbound edge's recent files, its
-- latest file (a batch is claimed in one instant: under load the list samples the files, idle it has every one).
local inbound, inboundOrder, edgeUid, edgeName, edgeOrder = {}, {}, {}, {}, {}
-- First-step claim events by journal (the round's files share one): one RPUSH for them all.
local fresh, freshOrder = {}, {}
local indexed = false
for c = 1, nClaims do
  local k, a = 2 + nDrops + 3 * (c - 1), 8 + 4 * (c - 1)
  local src, dst = KEYS[k + 1], KEYS[k + 2]
  local name, uid, n, all = ARGV[a + 1], ARGV[a + 3], 0, nil
  if src ~= dst and redis.call('EXISTS', src) == 1 then
    redis.call('RENAME', src, dst)
    local prev = redis.call('HGET', dst, 'latest.core.step_counter')
    if prev then n = tonumber(prev) + 1 end
    redis.call('HSETNX', dst, 'first.core.original_basename', name)
    redis.call('HSETNX', dst, 'first.core.original_dirname', ARGV[a + 2])
    redis.call('HSETNX', dst, 'first.core.original_uid', uid)
    redis.call('HSET', dst, 'latest.core.step_counter', n, n .. '.' .. enter, ARGV[4], 'latest.' .. enter, ARGV[4],
      'latest.core.inbox_basename', name)
    all = redis.call('HGETALL', dst)
    uid = j_field(all, 'first.core.original_uid')
    out[c] = {n, all}
  else
    -- No tags yet (the claim path is new: a fresh uid): the file's first step, and these are all its tags.
    redis.call('HSET', dst, 'first.core.original_basename', name, 'first.core.original_dirname', ARGV[a + 2],
      'first.core.original_uid', uid, 'latest.core.step_counter', 0, '0.' .. enter, ARGV[4], 'latest.' .. enter, ARGV[4],
      'latest.core.inbox_basename', name)
    out[c] = 0
  end
  redis.call('EXPIRE', dst, ARGV[5])
  if n == 0 then
    local tk = KEYS[k + 3]
    if not inbound[tk] then inbound[tk] = 0; inboundOrder[#inboundOrder + 1] = tk end
    inbound[tk] = inbound[tk] + 1
  end
  if keep > 0 then
    -- Encoded by concatenation (the worker sent the name and plugin/step as JSON strings): no cjson per file.
    local pt = ''
    if n > 0 then pt = ',"pt":' .. cjson.encode(j_steptags(all, n - 1)) end
    local ev = '{"e":"in","c":"' .. ARGV[a + 3] .. '",' .. ps .. ',"n":' .. n .. ',"t":' .. tms .. ',"name":' .. ARGV[a + 4] .. pt .. '}'
    local refreshed = false
    if n == 0 then
      local jk, quid = j_key(uid)
      local list = fresh[jk]
      if not list then list = {}; fresh[jk] = list; freshOrder[#freshOrder + 1] = jk end
      list[#list + 1] = j_owned(ev, quid)
    else
      refreshed = j_pushraw(uid, ev, keep, true)
    end
    if n == 0 or refreshed then
      j_index(n > 0 and j_field(all, 'first.core.original_basename') or name, uid, tms)
      indexed = true
    end
    if n == 0 then
      local from = '<' .. ARGV[a + 2]
      if not edgeUid[from] then edgeOrder[#edgeOrder + 1] = from end
      edgeUid[from], edgeName[from] = uid, name
    end
  end
end
for _, jk in ipairs(freshOrder) do j_pushmany(jk, fresh[jk], keep) end
if indexed then j_indexttl(tms, keep) end
for _, tk in ipairs(inboundOrder) do
  redis.call('INCRBY', tk, inbound[tk])
  redis.call('EXPIRE', tk, ARGV[6])
end
for _, from in ipairs(edgeOrder) do j_edgefile(from, ARGV[2] .. '/' .. ARGV[3], edgeUid[from], edgeName[from], tms, keep, cap) end
if ARGV[jb + 4] == '1' then out[nClaims + 1] = j_memory() end
return out`;

interface StepCommands {
  mfdataClaim(...args: string[]): Promise<Array<[number, string[]] | number>>;
  mfdataTrace(...args: string[]): Promise<number>;
  mfdataLeaves(keep: string, ...leaves: string[]): Promise<number>;
}

/** The file a trace is about, for its journey (journeys on). */
export interface TracedFile {
  /** Where the file's tags are now (its claim path, or where it was moved). */
  tagPath: string;
  /** The claim uid of the step that routed or failed it. */
  claimUid: string;
  /** first.core.original_uid / original_basename when known ('' or undefined = read from its tags). */
  originalUid?: string;
  name?: string;
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
  /** Tag keys of the latest call's claims (claim path → key), for the drops of the next call. */
  private claimKeys = new Map<string, string>();
  /** `"p":<plugin>,"s":<step>` of this step's journey events, JSON-encoded once. */
  private readonly eventPrefix: string;
  /** Journey recording (runtime/journey); settings from MFDATA_JOURNEYS_* unless given. */
  readonly journey: JourneyRecorder;

  constructor(readonly redis: DataRedis, readonly plugin: string, readonly step: string, journey: JourneySettings = journeySettingsFromEnv(process.env)) {
    // numberOfKeys left out: the caller passes it (5 + the tag keys to drop).
    if (!('mfdataClaim' in redis)) {
      redis.defineCommand('mfdataClaim', { lua: CLAIM });
      redis.defineCommand('mfdataTrace', { numberOfKeys: 4, lua: TRACE_LUA });
      redis.defineCommand('mfdataLeaves', { numberOfKeys: 0, lua: LEAVES_LUA });
    }
    this.commands = redis as unknown as StepCommands;
    this.eventPrefix = `"p":${JSON.stringify(plugin)},"s":${JSON.stringify(step)}`;
    this.journey = new JourneyRecorder(journey, (leaves) => this.commands.mfdataLeaves(String(this.journey.keep), ...leaves),
      ({ paused, usedPercent }) => recordJourneyGap(redis, {
        t: Date.now(), e: paused ? 'paused' : 'resumed', worker: `${plugin}/${step}#${process.pid}`,
        ...(usedPercent >= 0 ? { used_percent: Math.round(usedPercent * 10) / 10 } : {}),
      }));
  }

  /**
   * Bookkeeping of claims, in one round trip. `dropTagsOf`: files finished since the previous call, whose
   * tags go at the same time. The clock is sub-millisecond so enter_step tags carry real microseconds, as MFDATA's do.
   */
  async recordClaims(claims: ClaimInput[], dropTagsOf: string[] = [], nowMs: number = performance.timeOrigin + performance.now()): Promise<ClaimRecord[]> {
    const now = new Date(nowMs);
    const enter = enterStepValue(nowMs);
    const journeys = this.journey.keep > 0;
    // The files dropped are mostly the previous call's claims: their keys are known (an MD5 less per file).
    const previous = this.claimKeys;
    const keys: string[] = [counterKey(this.plugin, this.step), latestKey(this.plugin, this.step), ...dropTagsOf.map((f) => previous.get(f) ?? tagsKey(f))];
    const args: string[] = [String(nowMs / 1000), this.plugin, this.step, enter, String(TAGS_TTL_SECONDS), String(TRACE_TTL_SECONDS),
      String(dropTagsOf.length), String(claims.length)];
    this.claimKeys = new Map();
    const traces = new Map<string, string>();
    for (const c of claims) {
      const dirname = path.basename(path.dirname(c.inboxPath));
      const basename = path.basename(c.inboxPath);
      let trace = traces.get(dirname);
      if (trace === undefined) traces.set(dirname, (trace = traceKey(`<${dirname}`, traceEnd(this.plugin, this.step), now)));
      const claimKey = tagsKey(c.claimPath);
      this.claimKeys.set(c.claimPath, claimKey);
      keys.push(tagsKey(c.inboxPath), claimKey, trace);
      args.push(basename, dirname, c.uid, journeys ? JSON.stringify(basename) : '');
    }
    const memoryCheck = this.journey.memoryCheckDue();
    args.push(String(this.journey.keep), String(EDGE_FILES_CAP), this.eventPrefix, memoryCheck ? '1' : '', ...(journeys ? this.journey.take() : []));
    const replies = await this.commands.mfdataClaim(String(keys.length), ...keys, ...args);
    if (memoryCheck && replies.length > claims.length) this.journey.memoryReport(Number(replies.pop()));
    return replies.map((reply, i) => {
      // 0: the file had no tags; the script wrote exactly these (same order as HGETALL would give them).
      if (typeof reply === 'number') return { stepCounter: 0, tags: this.firstTags(claims[i], enter) };
      const [n, flat] = reply;
      const tags: Record<string, string> = {};
      for (let j = 0; j + 1 < flat.length; j += 2) tags[flat[j]] = flat[j + 1];
      return { stepCounter: Number(n), tags };
    });
  }

  /** The tags the claim script gives a file that had none. */
  private firstTags(c: ClaimInput, enter: string): Record<string, string> {
    const basename = path.basename(c.inboxPath);
    return {
      [ORIGINAL_BASENAME]: basename, [ORIGINAL_DIRNAME]: path.basename(path.dirname(c.inboxPath)), [ORIGINAL_UID]: c.uid,
      [STEP_COUNTER]: '0', [enterStepTag(0, this.plugin, this.step)]: enter, [enterStepTag('latest', this.plugin, this.step)]: enter,
      [INBOX_BASENAME]: basename,
    };
  }

  /** Deletes the tag keys of finished files. */
  async dropTags(files: string[]): Promise<void> {
    if (files.length > 0) await this.redis.del(...files.map(tagsKey));
  }

  /**
   * Counts one flow-graph edge from this step to `to` (`plugin/step` or a pseudo target such as `>nomatch/keep`);
   * with journeys on and `file` given, also the file's route event and the edge's recent files, in the same round trip.
   */
  async trace(to: string, now: Date = new Date(), file?: TracedFile, op: 'move' | 'copy' | 'hardlink' | 'pseudo' = 'move'): Promise<void> {
    await this.traceEdge(to, now, file, { e: 'route', op }, 'none', '');
  }

  /**
   * Counts a failure of this step (`failed.<plugin>.<step>`), marks the edge to where the failure policy sent
   * the file as an error edge, and (journeys on) records the failure with the tags the step set: one round trip.
   */
  async traceFailure(to: string, now: Date = new Date(), file?: TracedFile & { reason: string; giveUp?: boolean }): Promise<void> {
    const event = { e: 'fail', reason: file?.reason ?? '', ...(file?.giveUp ? { giveup: true } : {}) };
    // A retry give-up applies the policy to a failure its last attempt counted already: an error edge, not one more failure.
    await this.traceEdge(to, now, file, event, file?.giveUp ? 'edge' : 'count', 'latest');
  }

  private async traceEdge(to: string, now: Date, file: TracedFile | undefined, event: Record<string, unknown>, failure: 'none' | 'count' | 'edge', tagsOf: string): Promise<void> {
    const from = traceEnd(this.plugin, this.step);
    const keep = file ? this.journey.keep : 0;
    const payload = keep > 0 && file ? JSON.stringify({ ...event, c: file.claimUid, p: this.plugin, s: this.step, to, t: now.getTime() }) : '{}';
    await this.commands.mfdataTrace(
      traceKey(from, to, now), tagsKey(file?.tagPath ?? ''), failedKey(this.plugin, this.step), traceErrorsKey(now),
      String(TRACE_TTL_SECONDS), String(keep), payload, file?.originalUid ?? '', file?.name ?? '', from, to, tagsOf, String(EDGE_FILES_CAP), failure === 'count' ? '1' : failure === 'edge' ? '2' : '0',
      String(now.getTime()),
    );
  }

  /** Registers edges with value 0 (or leaves their counts alone), in one round trip. */
  async virtualTraces(tos: readonly string[], now: Date = new Date()): Promise<void> {
    if (tos.length === 0) return;
    const multi = this.redis.multi();
    for (const to of tos) {
      const key = traceKey(traceEnd(this.plugin, this.step), to, now);
      multi.incrby(key, 0).expire(key, TRACE_TTL_SECONDS);
    }
    await multi.exec();
  }

  /** Registers an edge with value 0 so a graph shows configured routes before traffic (MFDATA virtual traces). */
  async virtualTrace(to: string, now: Date = new Date()): Promise<void> {
    const key = traceKey(traceEnd(this.plugin, this.step), to, now);
    await this.redis.multi().incrby(key, 0).expire(key, TRACE_TTL_SECONDS).exec();
  }
}
