// Reads the flow graph (trace@* edge counters), the recent files of an edge and file journeys from Redis. No writes.
import type Redis from 'ioredis';
import { edgeFilesKey, EDGE_FILES_CAP, journalKey, JOURNEY_NAME_HOURS_KEY, journeyKey, journeyNamesKey, legacyJourneyNameKey, traceErrorsKey } from '../queue/keys';
import { assembleJourney } from '../journey/assemble';
import { parseEvent, type JourneyEvent } from '../journey/events';
import type { EdgeFile, FlowEdge, FlowGraph, FlowNode, Journey } from './types';

export type { EdgeFile, FlowEdge, FlowGraph, FlowNode, Journey, JourneyStep, StepRef, TrashEntry } from './types';

const DAY_MS = 86_400_000;
const TRACE_KEY = /^trace@(\d{4}-\d{2}-\d{2})~([^~]*)~(.*)$/;

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** What a node id names: `<dir` a source, `>x/y` a pseudo target, else `plugin/step`. */
export function nodeOf(id: string): FlowNode {
  if (id.startsWith('<')) return { id, kind: 'source' };
  if (id.startsWith('>')) return { id, kind: 'pseudo' };
  const slash = id.indexOf('/');
  return slash < 0 ? { id, kind: 'step', plugin: id } : { id, kind: 'step', plugin: id.slice(0, slash), step: id.slice(slash + 1) };
}

/**
 * The edges counted between `since` and `until` (UTC days; default: today), summed over the days. An edge a
 * failure policy recorded is `error`; an edge only registered at start-up (count 0) is `virtual`. With
 * `configuredSteps` (the runtime's `plugin/step`s), a virtual edge of a step no longer configured is left out: a
 * plugin removed today no longer shows its configured-but-unused edges (edges files took stay, they happened).
 */
export async function readFlow(redis: Redis, opts: { since?: Date; until?: Date; configuredSteps?: ReadonlySet<string> } = {}): Promise<FlowGraph> {
  const until = opts.until ?? new Date();
  const since = opts.since ?? new Date(Math.floor(until.getTime() / DAY_MS) * DAY_MS);
  const first = day(since);
  const last = day(until);
  const keys = (await scanKeys(redis, 'trace@*')).sort();
  const wanted: Array<{ key: string; date: string; from: string; to: string }> = [];
  for (const key of keys) {
    const m = TRACE_KEY.exec(key);
    if (m && m[1] >= first && m[1] <= last) wanted.push({ key, date: m[1], from: m[2], to: m[3] });
  }
  const counts = wanted.length > 0 ? await redis.mget(...wanted.map((w) => w.key)) : [];
  const dates = [...new Set(wanted.map((w) => w.date))];
  const errorSets = await Promise.all(dates.map((d) => redis.smembers(traceErrorsKey(new Date(`${d}T00:00:00Z`)))));
  const errors = new Set(errorSets.flat());
  const edges = new Map<string, FlowEdge>();
  wanted.forEach((w, i) => {
    const id = `${w.from}~${w.to}`;
    const edge = edges.get(id) ?? { from: w.from, to: w.to, count: 0, kind: 'route' as FlowEdge['kind'] };
    edge.count += Number(counts[i] ?? 0) || 0;
    edges.set(id, edge);
  });
  const nodes = new Map<string, FlowNode>();
  const gone = (n: string): boolean => opts.configuredSteps !== undefined && nodeOf(n).kind === 'step' && !opts.configuredSteps.has(n);
  for (const [id, edge] of edges) {
    edge.kind = edge.count === 0 ? 'virtual' : errors.has(id) ? 'error' : 'route';
    if (edge.kind === 'virtual' && (gone(edge.from) || gone(edge.to))) {
      edges.delete(id);
      continue;
    }
    for (const n of [edge.from, edge.to]) if (!nodes.has(n)) nodes.set(n, nodeOf(n));
  }
  const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    nodes: [...nodes.values()].sort(byId),
    edges: [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
  };
}

/** The most recent files (newest first) that took the edge `from` → `to`. */
export async function readEdgeFiles(redis: Redis, from: string, to: string, limit = EDGE_FILES_CAP): Promise<EdgeFile[]> {
  const raws = await redis.lrange(edgeFilesKey(from, to), 0, Math.max(0, limit - 1));
  const files: EdgeFile[] = [];
  for (const raw of raws) {
    try {
      const v = JSON.parse(raw) as Partial<EdgeFile>;
      if (typeof v.uid === 'string') files.push({ uid: v.uid, name: String(v.name ?? ''), at: Number(v.at ?? 0) });
    } catch {
      // an unreadable entry is skipped
    }
  }
  return files;
}

/** A file's events: those of its journal that are its own ("u"), after those of a journey recorded before journals. */
async function journeyOf(redis: Redis, uid: string): Promise<Journey | undefined> {
  const [legacy, journal] = (await redis.pipeline().lrange(journeyKey(uid), 0, -1).lrange(journalKey(uid), 0, -1).exec()) ?? [];
  const parsed = (reply: [Error | null, unknown] | undefined): JourneyEvent[] =>
    (Array.isArray(reply?.[1]) ? (reply[1] as string[]) : []).map(parseEvent).filter((e): e is JourneyEvent => e !== undefined);
  const events = [...parsed(legacy), ...parsed(journal).filter((e) => e.u === uid)];
  return events.length > 0 ? assembleJourney(uid, events) : undefined;
}

/** The journey of a file by its original uid, or of every file that arrived under that original name (oldest first). */
export async function readJourney(redis: Redis, uidOrName: string): Promise<Journey[]> {
  const byUid = await journeyOf(redis, uidOrName);
  if (byUid) return [byUid];
  const uids = await uidsNamed(redis, uidOrName);
  const journeys = (await Promise.all(uids.map((u) => journeyOf(redis, u)))).filter((j): j is Journey => j !== undefined);
  return journeys.sort((a, b) => (a.steps[0]?.enteredAt ?? 0) - (b.steps[0]?.enteredAt ?? 0));
}

/** The original uids indexed under a name, over every hour of the index (two round trips, three with duplicates). */
async function uidsNamed(redis: Redis, name: string): Promise<string[]> {
  const hours = await redis.zrange(JOURNEY_NAME_HOURS_KEY, 0, -1);
  const first = redis.pipeline();
  for (const h of hours) first.hmget(journeyNamesKey(Number(h)), name, `${name}/`);
  first.smembers(legacyJourneyNameKey(name));
  const replies = (await first.exec()) ?? [];
  const uids = new Set<string>((replies[hours.length]?.[1] as string[] | undefined) ?? []);
  const more = redis.pipeline();
  let asked = 0;
  hours.forEach((h, i) => {
    const [uid, count] = (replies[i]?.[1] as Array<string | null> | undefined) ?? [];
    if (uid) uids.add(uid);
    const n = Number(count ?? 0);
    if (n > 0) {
      more.hmget(journeyNamesKey(Number(h)), ...Array.from({ length: n }, (_, k) => `${name}/${k + 1}`));
      asked++;
    }
  });
  if (asked > 0) {
    for (const [, reply] of (await more.exec()) ?? []) for (const uid of (reply as Array<string | null>) ?? []) if (uid) uids.add(uid);
  }
  return [...uids];
}
