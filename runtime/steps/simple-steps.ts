// The small built-ins: delete, copy (fan-out to several steps), move (to a step or a directory), archive.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StepContext, StepDefinition, StepFile } from '../api/types';
import type { SwitchRuleTarget } from '../config/model';
import { runFanOut, type TransferOp } from '../switch/fanout';
import { renameOrCopy } from '../tags/tagged-file';
import { ifExistsOption, placeClaimedFile, type IfExists } from './no-clobber';
import { moveIntoInbox, moveTaggedIntoInbox } from '../tags/inbox-name';
import { expandDestBasename, validateDestBasename } from './dest-basename';
import {
  basenameValues, boolOption, chmodOption, destinationOption, ensureDir, inside, LazyTags, option, targetsOption, BuiltinStepError, type BuiltinDeps,
} from './builtin';

/** `builtin:delete`: success without routing; the worker deletes the claimed file and its tags. */
export function deleteStep(): StepDefinition {
  return { process: () => true };
}

/** One transfer of the fan-out, through the step API (tags follow, a trace is recorded). */
export function transfer(ctx: StepContext, file: StepFile, target: SwitchRuleTarget, op: TransferOp): Promise<boolean> {
  const options = { keepOriginalBasename: true };
  if (op === 'move') return ctx.moveToPluginStep(file, target.plugin, target.step, options);
  if (op === 'copy') return ctx.copyToPluginStep(file, target.plugin, target.step, options);
  return ctx.hardlinkToPluginStep(file, target.plugin, target.step, options);
}

/** Hardlinks keep the owner: a file arriving under another uid is copied so the service user owns it. */
export function hardlinkPossible(file: StepFile): boolean {
  try {
    return typeof process.getuid !== 'function' || fs.statSync(file.path).uid === process.getuid();
  } catch {
    return false;
  }
}

/** Fans a file out to targets; false (failure policy) when a transfer failed and the original is still here. */
export async function fanOut(ctx: StepContext, file: StepFile, targets: SwitchRuleTarget[]): Promise<boolean> {
  if (targets.length === 0) return true;
  const result = await runFanOut(targets, (t, op) => transfer(ctx, file, t, op), { hardlinkPossible: hardlinkPossible(file) });
  return result.allOk || result.originalMoved;
}

/** `builtin:copy`: `dest_dirs = p1/s1, p2/s2*`. */
export function copyStep(deps: BuiltinDeps): StepDefinition {
  const targets = targetsOption(deps, 'dest_dirs', option(deps, 'dest_dirs'));
  if (targets.length === 0) throw new BuiltinStepError(deps.plugin.name, deps.step.name, 'dest_dirs', 'names no target');
  return { process: (file, ctx) => fanOut(ctx, file, targets) };
}

/** Places the claimed file in an absolute directory under the `if_exists` rule; returns where it ended. */
async function placeFile(file: StepFile, dest: string, mode: number | undefined, ifExists: IfExists, companion = ''): Promise<string> {
  await ensureDir(path.dirname(dest));
  if (mode !== undefined) await fs.promises.chmod(file.path, mode);
  return placeClaimedFile(file.path, dest, ifExists, companion);
}

/** `builtin:move`: `dest_dir` (plugin/step or absolute), `dest_basename`, `force_chmod`, `drop_tags`, `if_exists`. */
export function moveStep(deps: BuiltinDeps): StepDefinition {
  const dest = destinationOption(deps, 'dest_dir');
  const template = option(deps, 'dest_basename', '{ORIGINAL_BASENAME}');
  validateDestBasename(template);
  const mode = chmodOption(deps);
  const drop = option(deps, 'drop_tags', 'AUTO').toUpperCase();
  const dropTags = drop === 'AUTO' ? dest.kind === 'dir' : drop === '1';
  const ifExists = ifExistsOption(deps);
  const tags = new LazyTags(deps);
  return {
    async process(file, ctx) {
      const name = expandDestBasename(template, basenameValues(file));
      if (dest.kind === 'dir') {
        const placed = await placeFile(file, inside(dest.dir, name), mode, ifExists);
        // Tags are keyed by path: they follow the file to the name it got (or are dropped, the default here).
        if (dropTags) await tags.get().drop(file.path);
        else await tags.get().move(file.path, placed);
        return true;
      }
      const target = inside(ctx.inbox(dest.plugin, dest.step), name);
      await ensureDir(path.dirname(target));
      if (mode !== undefined) await fs.promises.chmod(file.path, mode);
      // A file waiting in a step inbox is never replaced, even by a mover racing this one (tags/inbox-name.ts).
      if (!dropTags) {
        await moveTaggedIntoInbox(tags.get(), file.path, target);
        return true;
      }
      await moveIntoInbox(target, (dst) => renameOrCopy(file.path, dst));
      await tags.get().drop(file.path);
      return true;
    },
    destroy: () => tags.close(),
  };
}

/** `builtin:archive`: keeps files under `dest_dir/<dest_basename>` (dated sub-directories), tags in `<final name>.tags`. */
export function archiveStep(deps: BuiltinDeps): StepDefinition {
  const dest = destinationOption(deps, 'dest_dir');
  if (dest.kind !== 'dir') throw new BuiltinStepError(deps.plugin.name, deps.step.name, 'dest_dir', 'must be an absolute directory');
  const template = option(deps, 'dest_basename', '%Y%m%d/{ORIGINAL_UID}');
  validateDestBasename(template, true);
  const keepTags = boolOption(deps, 'keep_tags', true);
  const suffix = option(deps, 'keep_tags_suffix', '.tags');
  const mode = chmodOption(deps);
  const ifExists = ifExistsOption(deps);
  const tags = new LazyTags(deps);
  return {
    async process(file) {
      const target = inside(dest.dir, expandDestBasename(template, basenameValues(file), true));
      // The tags file is named after where the file ended (`name.1.tags` next to `name.1`), so it is written after.
      // It never lands where its tags file would replace a file (an archived `a.tags`, then `a`).
      const placed = await placeFile(file, target, mode, ifExists, keepTags ? suffix : '');
      if (keepTags) await tags.get().dump(file.path, `${placed}${suffix}`);
      await tags.get().drop(file.path);
      return true;
    },
    destroy: () => tags.close(),
  };
}
