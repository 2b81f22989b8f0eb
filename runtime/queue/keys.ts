// Every Redis key name the data path uses, in one place (MFDATA-compatible names).
import * as crypto from 'node:crypto';

/** Redis list of a step: `step.<plugin>.<step>` (same name as its inbox directory). */
export function stepQueueKey(plugin: string, step: string): string {
  return `step.${plugin}.${step}`;
}

/** Number of files a step has claimed: `counter.<plugin>.<step>` (INCR). */
export function counterKey(plugin: string, step: string): string {
  return `counter.${plugin}.${step}`;
}

/**
 * Number of files a step failed (process() false, threw, timed out, step_limit, crash loop, retries given up):
 * `failed.<plugin>.<step>` (INCR when the failure policy is applied, whatever the policy; never reset).
 */
export function failedKey(plugin: string, step: string): string {
  return `failed.${plugin}.${step}`;
}

/**
 * Queue messages a step's workers dropped without touching any file: not JSON, wrong shape, or naming a path
 * outside the directories that feed the step (`rejected.<plugin>.<step>`, INCR; never reset).
 */
export function rejectedKey(plugin: string, step: string): string {
  return `rejected.${plugin}.${step}`;
}

/** Unix timestamp of the step's latest claim: `latest.<plugin>.<step>`. */
export function latestKey(plugin: string, step: string): string {
  return `latest.${plugin}.${step}`;
}

/** One-shot MD5 in hex: crypto.hash (Node ≥ 20.12) takes half the time of a Hash object (0.41 against 0.87 µs here). */
const md5Hex: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('md5', text, 'hex')
  : (text) => crypto.createHash('md5').update(text).digest('hex');

/** Tags of one file: hash `xattr_<md5(absolute path)>` (two per claimed file: its inbox and its claim path). */
export function tagsKey(absolutePath: string): string {
  return `xattr_${md5Hex(absolutePath)}`;
}

/** Seconds a tag hash lives after its latest write. */
export const TAGS_TTL_SECONDS = 86_400;

/** Seconds a trace counter lives. */
export const TRACE_TTL_SECONDS = 86_400;

/** A trace end: a real `plugin/step` or a pseudo target such as `>trash/keep` or `<step.p.main`. */
export function traceEnd(plugin: string, step: string): string {
  return `${plugin}/${step}`;
}

/** Flow-graph edge counter: `trace@<YYYY-MM-DD>~<from>~<to>` (UTC date). */
export function traceKey(from: string, to: string, now: Date = new Date()): string {
  return `trace@${now.toISOString().slice(0, 10)}~${from}~${to}`;
}

/** Pseudo trace targets of failure-policy decisions (MFDATA names). */
export const TRACE_TRASH_KEEP = '>trash/keep';
export const TRACE_TRASH_DELETE = '>trash/delete';
export const TRACE_GIVE_UP = '>delete/giveup';
/** Pseudo targets of the switch's no-match policy (MFDATA names). */
export const TRACE_NOMATCH_KEEP = '>nomatch/keep';
export const TRACE_NOMATCH_DELETE = '>nomatch/delete';

/** The pseudo target of a failure policy `move` to an absolute directory: `>move/srv/failed` for `/srv/failed` (`>kind/detail` like the others, no `//`). */
export function traceMoveToDir(dir: string): string {
  return `>move/${dir.replace(/^\/+/, '')}`;
}

/** The absolute directory a `>move/…` pseudo target names, else undefined (also reads `>move//dir`, written before 2026-11). */
export function movedToDir(to: string): string | undefined {
  return to.startsWith('>move/') ? `/${to.slice('>move/'.length).replace(/^\/+/, '')}` : undefined;
}

/** Edges recorded by a failure policy on one UTC day: a set of `<from>~<to>` (same TTL as the traces). */
export function traceErrorsKey(now: Date = new Date()): string {
  return `traceerr@${now.toISOString().slice(0, 10)}`;
}

/**
 * One file's journey as recorded before journals (a list of its JSON events, keyed by its first.core.original_uid):
 * read, and dropped by the memory guard, until the last of them has expired.
 */
export function journeyKey(originalUid: string): string {
  return `journey@${originalUid}`;
}

const OUR_UID = /^[0-9a-f]{32}$/;

/**
 * The journal holding a file's journey events (claim, route, failure, leave, replay, each with `"u": <original uid>`):
 * `journal@<first 24 hex of the uid>`, which the files claimed in one pop round share (their uids start with the
 * worker's prefix and the round's number, runtime/worker/claim-owners.ts); a uid of another form has a journal of its
 * own. Mirrored by `j_key` in runtime/journey/lua.ts.
 */
export function journalKey(originalUid: string): string {
  return `journal@${OUR_UID.test(originalUid) ? originalUid.slice(0, 24) : originalUid}`;
}

/**
 * The name index of journeys, one hash per UTC hour (`<hour>` = epoch ms / 3,600,000, floored) of the files first
 * seen (or whose journey was last refreshed) in that hour: field `<name>` → the first uid of that name, `<name>/` → how
 * many more, `<name>/<k>` → the k-th more (written by runtime/journey/lua.ts, read by runtime/flow/read.ts).
 */
export function journeyNamesKey(hour: number): string {
  return `journey-names@${hour}`;
}

/**
 * What kept journeys from being recorded or kept (runtime/journey/memory-guard.ts): a list of JSON `{t, e: 'paused' |
 * 'resumed' | 'dropped', …}`, newest first, capped, for `mfdata journey` to say why a file has none.
 */
export const JOURNEY_GAPS_KEY = 'journey-gaps';

/** The hours that have a name-index hash (sorted set, score = member = hour). */
export const JOURNEY_NAME_HOURS_KEY = 'journey-names';

/** Original base name → uids, as a set per name: the index before the hourly hashes (read only, for journeys recorded then). */
export function legacyJourneyNameKey(originalBasename: string): string {
  return `journey-name@${originalBasename}`;
}

/** The most recent files that took one flow-graph edge (list of JSON `{uid, name, at}`, newest first, capped). */
export function edgeFilesKey(from: string, to: string): string {
  return `edgefiles@${from}~${to}`;
}

/** How many recent files each edge keeps. */
export const EDGE_FILES_CAP = 50;
