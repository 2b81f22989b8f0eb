// Placing a claimed file at a destination path under the `if_exists` rule of builtin:move and builtin:archive
// (a step inbox: runtime/tags/inbox-name.ts).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IF_EXISTS_VALUES } from '../config/schema';
import { errorCode } from '../tags/tagged-file';
import { fitName } from '../util/name-max';
import { placeWithoutClobber } from '../worker/failure-policy';
import { BuiltinStepError, option, type BuiltinDeps } from './builtin';

/** What happens when the destination name is taken: keep both (`rename`), replace it (MFDATA), or fail the step. */
export type IfExists = (typeof IF_EXISTS_VALUES)[number];

/** Reads `if_exists` (default `rename`: never replace). */
export function ifExistsOption(deps: BuiltinDeps): IfExists {
  const v = option(deps, 'if_exists', 'rename').toLowerCase();
  const known = IF_EXISTS_VALUES.find((x) => x === v);
  if (!known) throw new BuiltinStepError(deps.plugin.name, deps.step.name, 'if_exists', `'${v}' is not one of ${IF_EXISTS_VALUES.join(', ')}`);
  return known;
}

/** The destination is taken and `if_exists = fail`: the step fails and the file goes to its failure policy. */
export class DestinationExistsError extends Error {
  constructor(readonly dest: string) {
    super(`'${dest}' already exists and if_exists = fail: the file is left to the failure policy (set if_exists = rename to keep both)`);
    this.name = 'DestinationExistsError';
  }
}

/**
 * Moves `src` to `dest` (its directory exists) and returns where it ended. `rename`: `dest`, else `dest.1`, `dest.2`…
 * (link(2) refuses a taken name, so concurrent workers never replace each other's files; the name is cut so that
 * `companion`, a tags file suffix written next to it afterwards, still fits in NAME_MAX, and a name whose companion
 * exists counts as taken: the tags file never replaces a file). `replace`: rename(2) over it. `fail`: link(2)
 * once, DestinationExistsError when the name (or its companion) is taken. On another file system the copy is made under a `.t` name in the
 * destination directory first, so nobody sees a partial file under the final name.
 */
export async function placeClaimedFile(src: string, dest: string, ifExists: IfExists, companion = ''): Promise<string> {
  const dir = path.dirname(dest);
  const sameFs = (await fs.promises.stat(src)).dev === (await fs.promises.stat(dir)).dev;
  if (sameFs) {
    try {
      return await placeOnSameFs(src, dest, ifExists, companion);
    } catch (err) {
      // One file system seen through two mounts (a bind mount): link(2) and rename(2) refuse it as well.
      if (errorCode(err) !== 'EXDEV') throw err;
    }
  }
  const tmp = path.join(dir, `${fitName(path.basename(dest), 11)}.${randomBytes(4).toString('hex')}.t`);
  try {
    await fs.promises.copyFile(src, tmp, fs.constants.COPYFILE_EXCL);
    const placed = await placeOnSameFs(tmp, dest, ifExists, companion);
    await fs.promises.unlink(src);
    return placed;
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
}

async function placeOnSameFs(src: string, dest: string, ifExists: IfExists, companion: string): Promise<string> {
  if (ifExists === 'rename') return placeWithoutClobber(src, path.dirname(dest), path.basename(dest), Buffer.byteLength(companion), companion);
  if (ifExists === 'replace') {
    await fs.promises.rename(src, dest);
    return dest;
  }
  if (companion !== '' && fs.lstatSync(`${dest}${companion}`, { throwIfNoEntry: false })) throw new DestinationExistsError(`${dest}${companion}`);
  try {
    await fs.promises.link(src, dest);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'EEXIST') throw new DestinationExistsError(dest);
    if (code !== 'EPERM') throw err;
    // link(2) refused (fs.protected_hardlinks, a file of another user): rename once the name is seen free.
    if (fs.lstatSync(dest, { throwIfNoEntry: false })) throw new DestinationExistsError(dest);
    await fs.promises.rename(src, dest);
    return dest;
  }
  await fs.promises.unlink(src);
  return dest;
}

