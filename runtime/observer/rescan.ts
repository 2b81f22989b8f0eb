// Directory rescan (MFDATA start-up scan and forced_poll): files passing the filter, oldest mtime first, as "exists" events.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NameFilter } from './name-filter';

export interface ListedFile {
  name: string;
  mtimeMs: number;
}

/**
 * Entries of `directory` that pass `filter` and are not directories, oldest first. A missing directory lists
 * nothing. Symbolic links are listed as themselves (lstat, never followed: the worker sets them aside);
 * sub-directories are reported to `onDirectory` and never listed.
 */
export async function listCandidates(directory: string, filter: NameFilter, onDirectory?: (name: string) => void): Promise<ListedFile[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: ListedFile[] = [];
  for (const entry of entries) {
    if (!filter(entry.name)) continue;
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
}

/** Pushes an "exists" event for each candidate until the queue would exceed poll_queue_limit. Returns how many were pushed. */
export async function rescanDirectory(target: RescanTarget, io: RescanIo): Promise<number> {
  const files = await listCandidates(target.directory, target.filter, io.skippedDirectory && ((name) => io.skippedDirectory?.(target.directory, name)));
  if (files.length === 0) return 0;
  let budget = Number.POSITIVE_INFINITY;
  if (target.pollQueueLimit > 0) budget = Math.max(0, target.pollQueueLimit - (await io.queueLength(target.queue)));
  const chosen = files.slice(0, Math.min(files.length, budget));
  await Promise.all(chosen.map((f) => io.push(target.queue, target.directory, f.name)));
  return chosen.length;
}
