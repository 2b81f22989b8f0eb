// File operations that carry the file's tags along: move (rename the tag key, roll back on failure), copy, hardlink.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { temporaryName } from '../util/name-max';
import type { TagStore } from './tag-store';

/**
 * Renames `src` to `dst` with its tags. The tag key moves first: `dst` may be a watched inbox, and the
 * next step's worker can claim the file (and move its tags) as soon as it appears there.
 */
export async function moveTagged(tags: TagStore, src: string, dst: string): Promise<void> {
  const hadTags = await tags.move(src, dst);
  try {
    await renameOrCopy(src, dst);
  } catch (err) {
    if (hadTags) await tags.move(dst, src).catch(() => undefined);
    throw err;
  }
}

/** Copies `src` to `dst` via `<dst>.t` (ignored by observers; a short `.<random>.t` for a 254–255-byte name) then a rename, with a copy of its tags. */
export async function copyTagged(tags: TagStore, src: string, dst: string): Promise<void> {
  await viaTemporary(tags, src, dst, (tmp) => fs.promises.copyFile(src, tmp));
}

/** Hard-links `src` as `dst` (via `<dst>.t`), copying on a cross-device link; tags are copied. */
export async function hardlinkTagged(tags: TagStore, src: string, dst: string): Promise<void> {
  await viaTemporary(tags, src, dst, async (tmp) => {
    try {
      await fs.promises.link(src, tmp);
    } catch (err) {
      if (errorCode(err) !== 'EXDEV' && errorCode(err) !== 'EPERM') throw err;
      await fs.promises.copyFile(src, tmp);
    }
  });
}

async function viaTemporary(tags: TagStore, src: string, dst: string, make: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = temporaryOf(dst);
  const hadTags = await tags.copy(src, dst);
  try {
    await make(tmp);
    await fs.promises.rename(tmp, dst);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    if (hadTags) await tags.drop(dst).catch(() => undefined);
    throw err;
  }
}

/** rename(2), or copy+unlink when `dst` is on another file system. */
export async function renameOrCopy(src: string, dst: string): Promise<void> {
  try {
    await fs.promises.rename(src, dst);
  } catch (err) {
    if (errorCode(err) !== 'EXDEV') throw err;
    const tmp = temporaryOf(dst);
    await fs.promises.copyFile(src, tmp);
    await fs.promises.rename(tmp, dst);
    await fs.promises.unlink(src);
  }
}

function temporaryOf(dst: string): string {
  return path.join(path.dirname(dst), temporaryName(path.basename(dst)));
}

export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}
