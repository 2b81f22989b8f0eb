// One walk of a directory tree: every entry but directories (files, symlinks, FIFOs set aside…) with its mtime, skipping the directories asked for.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESERVED_NAME_TARGET } from '../tags/inbox-name';
import type { FileEntry } from './plan';

export interface WalkOptions {
  /** Directories not descended into (IN/tmp: claims are none of housekeeping's business). */
  skip?: (dir: string) => boolean;
  /** Checked between directories: a stop request ends the walk early. */
  aborted?: () => boolean;
}

/** Files below `root`; a directory or file vanishing meanwhile (a worker moved it) is simply not listed. */
export async function walkFiles(root: string, options: WalkOptions = {}): Promise<FileEntry[]> {
  const files: FileEntry[] = [];
  const pending = [root];
  while (pending.length > 0) {
    if (options.aborted?.()) break;
    const dir = pending.pop() as string;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (isGone(err)) continue;
      throw err;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!options.skip?.(full)) pending.push(full);
      } else {
        // Not only regular files: a worker sets symbolic links and FIFOs aside in the trash, and they age out too
        // (lstat: a link's own time; unlink removes the link, never its target).
        try {
          const st = await fs.promises.lstat(full);
          const reservation = st.isSymbolicLink() && (await fs.promises.readlink(full)) === RESERVED_NAME_TARGET;
          files.push(reservation ? { path: full, mtimeMs: st.mtimeMs, reservation } : { path: full, mtimeMs: st.mtimeMs });
        } catch (err) {
          if (!isGone(err)) throw err;
        }
      }
    }
  }
  return files;
}

function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
