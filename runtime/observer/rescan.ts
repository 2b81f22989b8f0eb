// Directory rescan (MFDATA start-up scan and forced_poll): files passing the filter, oldest mtime first, as "exists" events.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NameFilter } from './name-filter';
import { isUtf8Name } from './undecodable-names';

export interface ListedFile {
  name: string;
  mtimeMs: number;
}

/**
 * Entries of `directory` that pass `filter` and are not directories, oldest first. A missing directory lists
 * nothing. Symbolic links are listed as themselves (lstat, never followed: the worker sets them aside);
 * sub-directories are reported to `onDirectory` and never listed.
 */
export async function listCandidates(directory: string, filter: NameFilter, onDirectory?: (name: string) => void, onUndecodable?: (raw: Buffer) => string | undefined, skip?: ReadonlySet<string>): Promise<ListedFile[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: ListedFile[] = [];
  if (entries.some((e) => e.name.includes('\uFFFD'))) entries = await withUndecodableRenamed(directory, entries, onUndecodable);
  for (const entry of entries) {
    if (!filter(entry.name) || skip?.has(entry.name)) continue;
    if (entry.isDirectory()) {
      onDirectory?.(entry.name);
      continue;
    }
    try {
      // MFDATA follows links (stat); we do not: a link to anything, even a dangling one, is announced as itself.
      const st = await fs.promises.lstat(path.join(directory, entry.name));
      if (st.isDirectory()) {
        onDirectory?.(entry.name);
        continue;
      }
      files.push({ name: entry.name, mtimeMs: st.mtimeMs });
    } catch {
      // Gone meanwhile (claimed by a worker): nothing to announce.
    }
  }
  return files.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : 1));
}

/**
 * Entries whose name is not valid UTF-8 came back from readdir with U+FFFD in place of their bytes: a message
 * naming them would name no file. They are renamed (`onUndecodable`, the observer) and listed under their new
 * name, or left out when nobody renames them.
 */
async function withUndecodableRenamed(directory: string, entries: fs.Dirent[], onUndecodable?: (raw: Buffer) => string | undefined): Promise<fs.Dirent[]> {
  const raws = await fs.promises.readdir(directory, { encoding: 'buffer' }).catch(() => [] as Buffer[]);
  // Names that really hold U+FFFD are valid UTF-8: they stay as listed.
  const valid = new Set(raws.filter(isUtf8Name).map((r) => r.toString('utf8')));
  const renamed = new Set<string>();
  for (const raw of raws) {
    if (isUtf8Name(raw)) continue;
    const name = onUndecodable?.(raw);
    if (name !== undefined) renamed.add(name);
  }
  const kept = entries.filter((e) => valid.has(e.name));
  if (renamed.size === 0) return kept;
  const again = await fs.promises.readdir(directory, { withFileTypes: true }).catch(() => [] as fs.Dirent[]);
  return [...kept, ...again.filter((e) => renamed.has(e.name))];
}

export interface RescanTarget {
  directory: string;
  queue: string;
  filter: NameFilter;
  /** ≤ 0 = unlimited. */
  pollQueueLimit: number;
}

export interface RescanIo {
  queueLength(queue: string): Promise<number>;
  push(queue: string, directory: string, filename: string): Promise<void>;
  /** A sub-directory found in the directory: not announced. */
  skippedDirectory?(directory: string, name: string): void;
  /** An entry whose name is not valid UTF-8: renamed to a UTF-8 name (returned), else left out. */
  renameUndecodable?(directory: string, raw: Buffer): string | undefined;
}

export interface RescanResult {
  /** "exists" events pushed. */
  pushed: number;
  /** Candidates not pushed because the queue reached poll_queue_limit (they wait for another rescan). */
  left: number;
}

/**
 * Pushes an "exists" event for each candidate until the queue would exceed poll_queue_limit. Names in `skip`
 * (already announced by an earlier round of the same catch-up) are neither listed nor pushed.
 */
export async function rescanDirectory(target: RescanTarget, io: RescanIo, skip?: ReadonlySet<string>): Promise<RescanResult> {
  const files = await listCandidates(target.directory, target.filter, io.skippedDirectory && ((name) => io.skippedDirectory?.(target.directory, name)),
    io.renameUndecodable && ((raw) => io.renameUndecodable?.(target.directory, raw)), skip);
  if (files.length === 0) return { pushed: 0, left: 0 };
  let budget = Number.POSITIVE_INFINITY;
  if (target.pollQueueLimit > 0) budget = Math.max(0, target.pollQueueLimit - (await io.queueLength(target.queue)));
  const chosen = files.slice(0, Math.min(files.length, budget));
  await Promise.all(chosen.map((f) => io.push(target.queue, target.directory, f.name)));
  return { pushed: chosen.length, left: files.length - chosen.length };
}
