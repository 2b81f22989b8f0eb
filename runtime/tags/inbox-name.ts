// Moving (or copying) a file into a watched step inbox without replacing a waiting file of the same name.
//
// A check then a rename let two movers take one name, the second replacing the first's file. link(2) fails with
// EEXIST when the name is taken, atomically: the file is linked under the first free name (`name`, else
// `<name, cut>.<8 hex>`), its tags follow, the source entry is unlinked. A hard link raises only IN_CREATE, which the
// observer ignores (a file written in place raises it before its content is complete), so the file is then announced
// by opening it for writing and closing it unchanged (IN_CLOSE_WRITE). Cost per file: link, unlink, open, close and an
// access(2) check, measured equal to the stat and rename it replaces (~25 µs of CPU on ext4).
// When that cannot work (another file system: EXDEV; link(2) refused: EPERM; a file we may not open for writing),
// the name is reserved by a placeholder symbolic link (symlink(2) is just as atomic) that the rename then replaces
// (IN_MOVED_TO): ~30 µs more, only on those paths.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fitName } from '../util/name-max';
import type { TagStore } from './tag-store';
import { copyTagged, errorCode, hardlinkTagged, moveTagged } from './tagged-file';

/** What an inbox name reservation points at: nothing (it dangles), under a name that says what it is. */
export const RESERVED_NAME_TARGET = '.mfdata-reserved-name';

/** `dest`, then `<dest, cut>.<8 hex>` names in the same directory. */
function* candidates(dest: string): Generator<string> {
  yield dest;
  const cut = path.join(path.dirname(dest), fitName(path.basename(dest), 9));
  for (;;) yield `${cut}.${randomBytes(4).toString('hex')}`;
}

/**
 * Moves `src` into `dest` (or a free variant of it) with its tags; returns where it went. The file is announced to
 * the observer only once its tags are there, as moveTagged does.
 */
export async function moveTaggedIntoInbox(tags: TagStore, src: string, dest: string): Promise<string> {
  return (await linkIntoInbox(src, dest, async (dst) => {
    await tags.move(src, dst);
    return async () => void (await tags.move(dst, src));
  })) ?? moveIntoInbox(dest, (dst) => moveTagged(tags, src, dst));
}

/** Moves `src` into `dest` (or a free variant of it) leaving its tags where they are (the caller drops them). */
export async function moveUntaggedIntoInbox(src: string, dest: string, fallback: (dst: string) => Promise<void>): Promise<string> {
  return (await linkIntoInbox(src, dest, async () => async () => undefined)) ?? moveIntoInbox(dest, fallback);
}

/** Copies (or hard-links, `how`) `src` into `dest` (or a free variant of it) with a copy of its tags. */
export async function copyTaggedIntoInbox(tags: TagStore, src: string, dest: string, how: 'copy' | 'hardlink'): Promise<string> {
  const withTags = async (dst: string): Promise<() => Promise<void>> => {
    await tags.copy(src, dst);
    return () => tags.drop(dst);
  };
  if (how === 'hardlink') {
    const linked = await linkIntoInbox(src, dest, withTags, { keepSource: true });
    if (linked) return linked;
  } else {
    // The copy is made under a `.t` name (ignored by observers), then linked to its final name like a move.
    const tmp = path.join(path.dirname(dest), `.${randomBytes(8).toString('hex')}.t`);
    try {
      await fs.promises.copyFile(src, tmp, fs.constants.COPYFILE_EXCL);
      const linked = await linkIntoInbox(tmp, dest, withTags);
      if (linked) return linked;
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
  }
  return moveIntoInbox(dest, (dst) => (how === 'copy' ? copyTagged(tags, src, dst) : hardlinkTagged(tags, src, dst)));
}

/**
 * Links `src` under the first free candidate name of `dest`, runs `attach(dst)` (tags; it returns its undo), unlinks
 * `src` (unless `keepSource`) and announces the file. Undefined when linking cannot serve here: the caller falls back.
 */
async function linkIntoInbox(src: string, dest: string, attach: (dst: string) => Promise<() => Promise<void>>, opts: { keepSource?: boolean } = {}): Promise<string | undefined> {
  try {
    // Announcing needs an open for writing: a file we may not write goes the rename way.
    fs.accessSync(src, fs.constants.W_OK);
  } catch {
    return undefined;
  }
  let dst: string | undefined;
  for (const candidate of candidates(dest)) {
    try {
      fs.linkSync(src, candidate);
      dst = candidate;
      break;
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EEXIST') continue;
      if (code === 'EXDEV' || code === 'EPERM' || code === 'EMLINK') return undefined;
      throw err;
    }
  }
  const placed = dst as string;
  let undo: () => Promise<void>;
  try {
    undo = await attach(placed);
  } catch (err) {
    fs.unlinkSync(placed);
    throw err;
  }
  if (!opts.keepSource) {
    try {
      fs.unlinkSync(src);
    } catch (err) {
      await undo().catch(() => undefined);
      fs.unlinkSync(placed);
      throw err;
    }
  }
  announce(placed);
  return placed;
}

/** IN_CLOSE_WRITE for the observer: open for writing, close, nothing written. */
function announce(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'r+'));
  } catch (err) {
    // ENOENT: already claimed by the next step (a rescan found it). Otherwise the next rescan (forced_poll) finds it.
    if (errorCode(err) !== 'ENOENT') throw new Error(`${file} is in its inbox but could not be announced (${errorCode(err) ?? String(err)}); the observer's next rescan will find it`);
  }
}

/**
 * Reserves a free name (the first free candidate of `dest`) as a placeholder symbolic link, which the rename that
 * follows replaces. A file system without symbolic links falls back to a check, then the rename.
 */
export async function reserveInboxName(dest: string): Promise<string> {
  for (const candidate of candidates(dest)) {
    try {
      fs.symlinkSync(RESERVED_NAME_TARGET, candidate);
      return candidate;
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
      if (!fs.lstatSync(candidate, { throwIfNoEntry: false })) return candidate;
    }
  }
  throw new Error('unreachable: candidates() never ends');
}

/** Gives a reserved name back after a failed move, if it is still the placeholder (never a file that replaced it). */
export async function releaseInboxName(reserved: string): Promise<void> {
  try {
    if ((await fs.promises.readlink(reserved)) === RESERVED_NAME_TARGET) await fs.promises.unlink(reserved);
  } catch {
    // Gone, or a real file now: nothing of ours to remove.
  }
}

/** Runs `move(dst)` (a rename onto `dst`) into a name reserved from `dest`; returns the name it got. */
export async function moveIntoInbox(dest: string, move: (dst: string) => Promise<void>): Promise<string> {
  const dst = await reserveInboxName(dest);
  try {
    await move(dst);
  } catch (err) {
    await releaseInboxName(dst);
    throw err;
  }
  return dst;
}
