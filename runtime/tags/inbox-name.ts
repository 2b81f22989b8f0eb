// Moving (or copying) a file into a watched step inbox without replacing a waiting file of the same name.
//
// A check then a rename let two movers take one name, the second replacing the first's file. Here the name is
// reserved first by a placeholder symbolic link (symlink(2) fails with EEXIST when the name is taken, atomically:
// the first free name of `name`, then `<stem>.<8 hex><extension>`), and the rename that follows replaces only that
// placeholder, raising IN_MOVED_TO for the observer in the same step. A mover killed between the two leaves a
// dangling placeholder (the file itself is still its claim in tmp/, recovered as any claim); a worker that claims a
// placeholder (announced by a rescan) drops it silently (message-guard). Not link(2) then unlink: a hard link raises
// only IN_CREATE, so a mover killed after the link left a second, unannounced copy waiting for the next rescan
// (caught by test/datapath/crashes.test.ts). Cost: ~30 µs of CPU per routed file more than a bare rename.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fitName } from '../util/name-max';
import type { TagStore } from './tag-store';
import { copyTagged, errorCode, hardlinkTagged, moveTagged } from './tagged-file';

/** What an inbox name reservation points at: nothing (it dangles), under a name that says what it is. */
export const RESERVED_NAME_TARGET = '.mfdata-reserved-name';

/** Whether `file` is a name reservation (a placeholder symlink), not a file; false when it is gone. */
export function isNameReservation(file: string): boolean {
  try {
    return fs.readlinkSync(file) === RESERVED_NAME_TARGET;
  } catch {
    return false; // not a symlink, or replaced or removed meanwhile
  }
}

/**
 * `dest`, then `<stem>.<8 hex><extension>` names in the same directory (`obs.csv` → `obs.1a2b3c4d.csv`): the name
 * keeps its extension, so a step whose `only` filter wants `\.csv$` still sees it (`obs.csv.1a2b3c4d` was never
 * announced). A name without a short extension gets the suffix at its end; the stem is cut to fit NAME_MAX.
 */
function* candidates(dest: string): Generator<string> {
  yield dest;
  const base = path.basename(dest);
  const ext = path.extname(base);
  const keep = ext.length > 1 && ext.length <= 16 && Buffer.byteLength(ext) === ext.length ? ext : '';
  const stem = fitName(base.slice(0, base.length - keep.length), 9 + keep.length);
  for (;;) yield path.join(path.dirname(dest), `${stem}.${randomBytes(4).toString('hex')}${keep}`);
}

/** Moves `src` into `dest` (or a free variant of it) with its tags; returns where it went. */
export async function moveTaggedIntoInbox(tags: TagStore, src: string, dest: string): Promise<string> {
  return moveIntoInbox(dest, (dst) => moveTagged(tags, src, dst));
}

/** Copies (or hard-links, `how`) `src` into `dest` (or a free variant of it) with a copy of its tags, via a `.t` name. */
export async function copyTaggedIntoInbox(tags: TagStore, src: string, dest: string, how: 'copy' | 'hardlink'): Promise<string> {
  return moveIntoInbox(dest, (dst) => (how === 'copy' ? copyTagged(tags, src, dst) : hardlinkTagged(tags, src, dst)));
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
