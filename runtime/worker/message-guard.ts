// Bad input at a worker: which files a queue message may make it touch (only entries directly in the directories
// feeding its step, compared by real path), and what becomes of claimed entries that are not regular files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataRedis } from '../redis/types';
import type { Logger } from '../log/mflog';
import { rejectedKey } from '../queue/keys';
import { truncatedDump, type QueueMessage } from '../queue/message';
import { ORIGINAL_BASENAME } from '../tags/tag-names';
import type { TagStore } from '../tags/tag-store';
import { applyFailurePolicy, type FailurePolicyTarget } from './failure-policy';
import { isNameReservation } from '../tags/inbox-name';

export type MessageVerdict = { ok: true; src: string } | { ok: false; reason: string };

/** What a claimed directory entry is, from lstat (a symbolic link is never followed). */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'device';

/**
 * A message names `directory` + `filename`; `filename` is a base name (decodeMessage refuses `/`, `.`, `..`,
 * NUL). So the only way out is `directory`: `..` components, another directory, a symlinked directory. The
 * directories feeding the step (its watched directories, its inbox, the observer sections on its queue) are
 * trusted configuration; any other directory is accepted only when its real path is one of theirs. The path
 * handed to rename(2) is the normalised (or real) one, never the raw text of the message.
 */
export class MessageGuard {
  private readonly lexical: Set<string>;

  constructor(private readonly directories: string[]) {
    this.lexical = new Set(directories.map((d) => path.resolve(d)));
  }

  check(msg: Pick<QueueMessage, 'directory' | 'filename'>): MessageVerdict {
    const dir = path.resolve(msg.directory);
    // The common case, one Set lookup: the observer writes the configured directory itself.
    if (this.lexical.has(dir)) return { ok: true, src: path.join(dir, msg.filename) };
    const real = realpathOf(dir);
    if (real !== undefined && this.realDirectories().has(real)) return { ok: true, src: path.join(real, msg.filename) };
    const where = real === undefined ? 'does not exist' : `has the real path ${real}`;
    return { ok: false, reason: `directory ${msg.directory} ${where}: not one of the step's directories (${[...this.lexical].join(', ')})` };
  }

  private realDirectories(): Set<string> {
    // Recomputed on each (rare) slow-path message: a watched directory may be created or replaced meanwhile.
    return new Set(this.directories.map(realpathOf).filter((d): d is string => d !== undefined));
  }
}

function realpathOf(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}

/**
 * lstat of a claimed entry, with its size (counted as processed bytes: the claim's one lstat serves both, no second
 * stat per file); undefined when it is gone.
 */
export function claimedEntry(p: string): { kind: EntryKind; size: number } | undefined {
  const st = fs.lstatSync(p, { throwIfNoEntry: false });
  if (!st) return undefined;
  return { kind: kindOf(st), size: st.size };
}

function kindOf(st: fs.Stats): EntryKind {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'device';
}

export interface BadInputEnv {
  redis: DataRedis;
  tags: TagStore;
  log: Logger;
  queue: string;
  plugin: string;
  step: string;
  /** The step's failure policy target; entries set aside always use `keep` (trash + `.tags`). */
  failure: FailurePolicyTarget;
}

/** The side effects of bad input: logs, the `rejected.*` counter, setting aside what is not a regular file. */
export class BadInput {
  constructor(private readonly env: BadInputEnv) {}

  /** A message dropped without touching any file: one warning with the queue and a truncated dump, and a count. */
  async rejectMessage(event: string, raw: string, reason: string): Promise<void> {
    const { log, queue, redis, plugin, step } = this.env;
    log.warning(event, { queue, reason, message: truncatedDump(raw) });
    await redis.incr(rejectedKey(plugin, step)).catch((err: unknown) => {
      log.exception('cannot count a rejected message', err, { queue }, 'warning');
    });
  }

  /**
   * A claimed entry that is not a regular file. A directory is put back where it was (never processed, never
   * deleted: it may be someone's data tree); a symbolic link, FIFO, socket or device goes to the step's trash with
   * a `.tags` saying why, whatever the failure policy: its target is never opened, moved or deleted.
   */
  async setAside(kind: Exclude<EntryKind, 'file'>, src: string, claimPath: string): Promise<void> {
    const { log, tags, failure } = this.env;
    if (kind === 'directory') {
      if (fs.lstatSync(src, { throwIfNoEntry: false })) {
        log.error('a directory named by a queue message cannot be put back (its name is taken again): left in the claim area', { file: src, claim: claimPath });
        return;
      }
      fs.renameSync(claimPath, src);
      log.warning('a directory in a step directory is not processed: left in place (move it away)', { file: src });
      return;
    }
    if (kind === 'symlink' && isNameReservation(claimPath)) {
      // A mover's name reservation (tags/inbox-name.ts), announced by a rescan in the instant before its rename, or
      // left by a mover killed in that instant: not a file. Its tags (the mover's file's, keyed by the inbox path) stay.
      fs.unlinkSync(claimPath);
      log.debug('dropped an inbox name reservation', { file: src });
      return;
    }
    const reason = kind === 'symlink'
      ? `a symbolic link (to ${readlinkOf(claimPath)}) is not followed: set aside without reading its target`
      : `a ${kind} is not a regular file: set aside without opening it`;
    await tags.move(src, claimPath);
    // Named in the trash after the entry (the failure policy uses the original base name when the tags have one).
    if ((await tags.get(claimPath, ORIGINAL_BASENAME)) === undefined) await tags.set(claimPath, { [ORIGINAL_BASENAME]: path.basename(src) });
    const outcome = await applyFailurePolicy({ ...failure, policy: 'keep' }, claimPath, reason);
    log.warning('not a regular file: set aside in the trash', { file: src, kind, final_path: outcome.finalPath });
  }
}

function readlinkOf(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '?';
  }
}
