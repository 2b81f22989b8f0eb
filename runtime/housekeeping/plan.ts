// The pure core of housekeeping: given a listing (paths + ages) and the limits, which files to delete and which queues look stuck.
import * as path from 'node:path';

/** One regular file (or symlink) seen by the walk. */
export interface FileEntry {
  /** Absolute path. */
  path: string;
  /** Last modification, ms since the epoch (the age MFDATA's garbage collector used too). */
  mtimeMs: number;
  /** A placeholder symbolic link reserving a name in a step inbox (runtime/tags/inbox-name.ts), not a file. */
  reservation?: boolean;
}

export interface Limits {
  /** Files under IN/trash older than this are deleted. */
  trashMaxMs: number;
  /** `*.t` leftovers older than this are deleted; queued files older than this are reported. */
  otherMaxMs: number;
}

/** An archive step's dest_dir with its `lifetime`. */
export interface ArchiveRoot {
  /** `plugin/step`, for logs. */
  label: string;
  /** Absolute directory. */
  dir: string;
  lifetimeMs: number;
  /** keep_tags_suffix: the tags file goes with the archived file. */
  tagsSuffix: string;
}

/** What a file under IN is, from its path relative to IN. */
export type Area =
  /** IN/tmp/…: a worker's claim. Recovered by the workers (the claim recovery on start), never deleted here. */
  | { kind: 'claim' }
  /** IN/trash/<group>/…, including trash/<switch>.nomatch. */
  | { kind: 'trash'; group: string }
  /** Any other directory (step inboxes, watched directories): queued work, never deleted except `*.t` leftovers. */
  | { kind: 'queued'; group: string };

/** Files deleted from one directory, for one reason. */
export interface Deletion {
  /** Directory as logged: `trash/p.s`, `step.p.s`, or an archive dest_dir. */
  group: string;
  reason: 'trash' | 'nomatch' | 'leftover-temp' | 'abandoned-reservation' | 'archive-lifetime';
  paths: string[];
}

/** A directory of queued files of which some are older than other_max_lifetime: a stuck or slow step. */
export interface StuckQueue {
  group: string;
  count: number;
  oldestAgeMs: number;
}

export interface Plan {
  deletions: Deletion[];
  stuck: StuckQueue[];
}

/** Suffix of a file being written (MFDATA's producers write `name.t` then rename); the observer ignores them. */
export const TEMP_SUFFIX = '.t';
/**
 * A name reservation lives for the microseconds between its symlink(2) and the rename that replaces it; one a minute
 * old was left by a worker killed in between (the file itself is still that worker's claim in tmp/, recovered as any).
 */
export const RESERVATION_MAX_MS = 60_000;
/** Suffix of the tags file written next to a trashed file. */
export const TRASH_TAGS_SUFFIX = '.tags';

export function classify(inDir: string, file: string): Area | undefined {
  const rel = path.relative(inDir, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const parts = rel.split(path.sep);
  if (parts[0] === 'tmp') return { kind: 'claim' };
  if (parts[0] === 'trash') return { kind: 'trash', group: parts.length > 2 ? `trash/${parts[1]}` : 'trash' };
  return { kind: 'queued', group: parts.length > 1 ? parts[0] : '.' };
}

function add(byKey: Map<string, Deletion>, group: string, reason: Deletion['reason'], file: string): void {
  const key = `${reason}\0${group}`;
  let d = byKey.get(key);
  if (!d) byKey.set(key, (d = { group, reason, paths: [] }));
  d.paths.push(file);
}

/** Adds `<file><suffix>` (present in the listing) to whatever deletes `file`, whatever its own age. */
function withTagsFiles(deletions: Deletion[], present: ReadonlySet<string>, suffixOf: (d: Deletion) => string | undefined): void {
  for (const d of deletions) {
    const suffix = suffixOf(d);
    if (!suffix) continue;
    const chosen = new Set(d.paths);
    for (const p of [...d.paths]) {
      const tags = p + suffix;
      if (present.has(tags) && !chosen.has(tags)) {
        chosen.add(tags);
        d.paths.push(tags);
      }
    }
  }
}

/** Deletions and stuck queues for the files under IN (claims under IN/tmp are ignored whatever their age). */
export function planInbox(inDir: string, files: readonly FileEntry[], nowMs: number, limits: Limits): Plan {
  const byKey = new Map<string, Deletion>();
  const stuck = new Map<string, StuckQueue>();
  const present = new Set<string>();
  for (const f of files) {
    const area = classify(inDir, f.path);
    if (!area || area.kind === 'claim') continue;
    present.add(f.path);
    const age = nowMs - f.mtimeMs;
    if (f.reservation && area.kind === 'queued') {
      // Never a stuck file: a rescan would announce it and a worker drop it, but not before the next forced_poll.
      if (age > RESERVATION_MAX_MS) add(byKey, area.group, 'abandoned-reservation', f.path);
    } else if (area.kind === 'trash') {
      if (age > limits.trashMaxMs) add(byKey, area.group, area.group.endsWith('.nomatch') ? 'nomatch' : 'trash', f.path);
    } else if (f.path.endsWith(TEMP_SUFFIX)) {
      // A producer that died mid-write: nobody will ever rename it.
      if (age > limits.otherMaxMs) add(byKey, area.group, 'leftover-temp', f.path);
    } else if (age > limits.otherMaxMs) {
      const s = stuck.get(area.group) ?? { group: area.group, count: 0, oldestAgeMs: 0 };
      s.count++;
      s.oldestAgeMs = Math.max(s.oldestAgeMs, age);
      stuck.set(area.group, s);
    }
  }
  const deletions = [...byKey.values()];
  withTagsFiles(deletions, present, (d) => (d.reason === 'trash' || d.reason === 'nomatch' ? TRASH_TAGS_SUFFIX : undefined));
  return { deletions: sorted(deletions), stuck: [...stuck.values()].sort((a, b) => cmp(a.group, b.group)) };
}

/** Files of an archive dest_dir older than the step's lifetime (with their tags files). */
export function planArchive(root: ArchiveRoot, files: readonly FileEntry[], nowMs: number): Deletion[] {
  if (root.lifetimeMs <= 0) return [];
  const d: Deletion = { group: root.dir, reason: 'archive-lifetime', paths: [] };
  const present = new Set<string>();
  for (const f of files) {
    if (!isInside(root.dir, f.path)) continue;
    present.add(f.path);
    if (nowMs - f.mtimeMs > root.lifetimeMs) d.paths.push(f.path);
  }
  if (d.paths.length === 0) return [];
  withTagsFiles([d], present, () => root.tagsSuffix);
  d.paths.sort(cmp);
  return [d];
}

/** True when `file` is strictly below `dir`. */
export function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sorted(deletions: Deletion[]): Deletion[] {
  for (const d of deletions) d.paths.sort(cmp);
  return deletions.sort((a, b) => cmp(a.group, b.group) || cmp(a.reason, b.reason));
}
