// Writes a small file whole or not at all (a temporary dot name in the same directory, then a rename), and waits for
// space when the file system is full instead of leaving a truncated file behind.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WriteWholeOptions {
  /** Called once, at the first ENOSPC/EDQUOT, before waiting (a warning belongs in the caller's log). */
  onFull?: (err: NodeJS.ErrnoException) => void;
  /** Gives up (rethrows the last ENOSPC) after this long; default 10 minutes. */
  maxWaitMs?: number;
}

const FULL = new Set(['ENOSPC', 'EDQUOT']);
const FIRST_WAIT_MS = 100;
const LONGEST_WAIT_MS = 5000;

/**
 * Why: `.tags` files were written in place, so a full disk (ENOSPC) left an empty or cut `.tags` next to a trashed file
 * and the worker reported "cannot finish the file" with the tags still in Redis. Now a reader finds the whole file
 * or none, and a file system that fills up for a while only delays the write. The temporary name is short
 * (`.<12 hex>.t`, ignored by the observer's default filter) so a 255-byte target name still works.
 */
/** The temporary name writeFileWhole writes under (`.<12 hex>.t`): a lister of a directory it writes into skips it. */
export function isWholeWriteTemporary(name: string): boolean {
  return /^\.[0-9a-f]{12}\.t$/.test(name);
}

export async function writeFileWhole(file: string, data: string | Buffer, options: WriteWholeOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.maxWaitMs ?? 600_000);
  let wait = FIRST_WAIT_MS;
  let warned = false;
  for (;;) {
    const tmp = path.join(path.dirname(file), `.${randomBytes(6).toString('hex')}.t`); // isWholeWriteTemporary
    try {
      await fs.promises.writeFile(tmp, data, { flag: 'wx' });
      await fs.promises.rename(tmp, file);
      return;
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      const e = err as NodeJS.ErrnoException;
      if (!FULL.has(e.code ?? '') || Date.now() >= deadline) throw err;
      if (!warned) options.onFull?.(e);
      warned = true;
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, LONGEST_WAIT_MS);
    }
  }
}
