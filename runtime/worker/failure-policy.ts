// The failure policy of a step: keep (trash + .tags), delete, or move (to plugin/step, or to a directory + .tags).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FailurePolicy } from '../config/model';
import { stepInbox, stepTrashDir, type RuntimeHome } from '../home';
import { TRACE_TRASH_DELETE, TRACE_TRASH_KEEP, traceEnd, traceMoveToDir } from '../queue/keys';
import { moveTaggedIntoInbox } from '../tags/inbox-name';
import type { StepState } from '../queue/step-state';
import { FAILURE_REASON, ORIGINAL_BASENAME } from '../tags/tag-names';
import type { TagStore } from '../tags/tag-store';
import { errorCode } from '../tags/tagged-file';
import { fitName } from '../util/name-max';

export interface FailurePolicyTarget {
  home: RuntimeHome;
  policy: FailurePolicy;
  /** `plugin/step` or an absolute directory (policy `move`). */
  moveDestDir: string;
  tags: TagStore;
  state: StepState;
  /** The retries of the step were given up (its reinject step applies the original policy): journeys say so. */
  giveUp?: boolean;
  /** The disk is full while the `.tags` is written: told once per file, then the write waits for space. */
  onDiskFull?: (tagsFile: string, err: NodeJS.ErrnoException) => void;
}

export interface FailureOutcome {
  /** Where the file ended (undefined when deleted or already gone). */
  finalPath?: string;
  tagsFile?: string;
}

export class FailurePolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FailurePolicyError';
  }
}

/**
 * Applies the policy to a claimed file (if the step left it there), recording `reason` in its tags. `claimUid`: the
 * claim its journey names (the claim path's name, unless recovery took a dead worker's claim over under a new name).
 */
export async function applyFailurePolicy(target: FailurePolicyTarget, claimPath: string, reason: string, claimUid = path.basename(claimPath)): Promise<FailureOutcome> {
  // lstat, not exists: a claimed symbolic link whose target is gone is still an entry to put away.
  if (!fs.lstatSync(claimPath, { throwIfNoEntry: false })) return {};
  const { tags, state } = target;
  await tags.set(claimPath, { [FAILURE_REASON]: reason });
  const name = safeBasename((await tags.get(claimPath, ORIGINAL_BASENAME)) ?? path.basename(claimPath));
  // The failure is traced while the tags are still where the trace can read them (journeys record the tags the step set).
  const traced = { tagPath: claimPath, claimUid, reason, giveUp: target.giveUp };
  if (target.policy === 'delete') {
    await fs.promises.rm(claimPath, { force: true });
    await state.traceFailure(TRACE_TRASH_DELETE, new Date(), traced);
    await tags.drop(claimPath);
    return {};
  }
  if (target.policy === 'move' && !path.isAbsolute(target.moveDestDir)) {
    const [plugin, step] = target.moveDestDir.split('/');
    if (!plugin || !step) throw new FailurePolicyError(`failure_policy_move_dest_dir '${target.moveDestDir}' is neither 'plugin/step' nor an absolute directory`);
    const inbox = stepInbox(target.home, plugin, step);
    await fs.promises.mkdir(inbox, { recursive: true });
    // Traced before the move: once in the next inbox, that step's worker may claim the file (moving its tags on,
    // even dropping them) before this trace ran, and the failure event would then find no uid and be lost.
    await state.traceFailure(traceEnd(plugin, step), new Date(), traced);
    // A waiting file of the same name is never replaced, even by a mover racing this one (tags/inbox-name.ts).
    return { finalPath: await moveTaggedIntoInbox(tags, claimPath, path.join(inbox, name)) };
  }
  const dir = target.policy === 'keep' ? stepTrashDir(target.home, state.plugin, state.step) : target.moveDestDir;
  await fs.promises.mkdir(dir, { recursive: true });
  const finalPath = await placeWithoutClobber(claimPath, dir, name, TAGS_SUFFIX.length, TAGS_SUFFIX);
  const tagsFile = `${finalPath}${TAGS_SUFFIX}`;
  // The tags still live under the claim path: dump them next to the file, then drop them.
  await tags.dump(claimPath, tagsFile, {}, { onFull: (err) => target.onDiskFull?.(tagsFile, err) });
  await state.traceFailure(target.policy === 'keep' ? TRACE_TRASH_KEEP : traceMoveToDir(dir), new Date(), traced);
  await tags.drop(claimPath);
  return { finalPath, tagsFile };
}

const TAGS_SUFFIX = '.tags';

/** A base name usable in a directory (tags come from anywhere: no slash, not `.`/`..`). */
function safeBasename(name: string): string {
  const cleaned = name.replace(/\//g, '_');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '_' : cleaned;
}

/**
 * Moves `src` into `dir` as `name`, or `name.1`, `name.2`… when taken: link(2) fails with EEXIST instead of
 * replacing, so two workers trashing files of the same name never overwrite each other. The name is cut so
 * that it, its `.N` and `reserveBytes` more (a `.tags` file next to it) fit within NAME_MAX. With `companion`
 * (`.tags`), a name whose companion exists is taken too: the companion written next is never written over a file
 * of that name (a trashed `x.tags`, then `x`). From another file system the file is copied under a temporary
 * `.<12 hex>.t` name in `dir` first, then linked to its name: no one sees a partial file under the final name.
 */
export async function placeWithoutClobber(src: string, dir: string, name: string, reserveBytes = 0, companion = ''): Promise<string> {
  let staged: string | undefined;
  try {
    for (let i = 0; ; i++) {
      const suffix = i === 0 ? '' : `.${i}`;
      const candidate = path.join(dir, fitName(name, reserveBytes + suffix.length) + suffix);
      if (companion !== '' && fs.lstatSync(`${candidate}${companion}`, { throwIfNoEntry: false })) continue;
      try {
        await fs.promises.link(staged ?? src, candidate);
      } catch (err) {
        const code = errorCode(err);
        if (code === 'EEXIST') continue;
        if (code === 'EPERM' && staged === undefined) {
          // link(2) refused (fs.protected_hardlinks: a file this user neither owns nor may read and write, such as
          // one dropped unreadable by another user): rename, once the name is seen free (same file system).
          if (fs.lstatSync(candidate, { throwIfNoEntry: false })) continue;
          await fs.promises.rename(src, candidate);
          return candidate;
        }
        if (code !== 'EXDEV' || staged !== undefined) throw err;
        staged = await stageCopy(src, dir);
        i -= 1; // the same name again, now from the copy
        continue;
      }
      if (staged !== undefined) await fs.promises.unlink(staged);
      staged = undefined;
      await fs.promises.unlink(src);
      return candidate;
    }
  } finally {
    if (staged !== undefined) await fs.promises.rm(staged, { force: true });
  }
}

/** A copy of `src` in `dir` under a temporary name (a symbolic link is re-created, never copied: that would read its target). */
async function stageCopy(src: string, dir: string): Promise<string> {
  const tmp = path.join(dir, `.${randomBytes(6).toString('hex')}.t`); // isWholeWriteTemporary: skipped by trash listings
  const st = await fs.promises.lstat(src);
  if (st.isSymbolicLink()) await fs.promises.symlink(await fs.promises.readlink(src), tmp);
  else await fs.promises.copyFile(src, tmp, fs.constants.COPYFILE_EXCL);
  return tmp;
}
