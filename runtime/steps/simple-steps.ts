// The small built-ins: delete, copy (fan-out to several steps), move (to a step or a directory), archive.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StepContext, StepDefinition, StepFile } from '../api/types';
import type { SwitchRuleTarget } from '../config/model';
import { runFanOut, type TransferOp } from '../switch/fanout';
import { moveTagged } from '../tags/tagged-file';
import { expandDestBasename, newRandomId, validateDestBasename } from './dest-basename';
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

/** Places the claimed file at an absolute path (atomically, via a rename), with or without its tags. */
async function placeFile(tags: LazyTags, file: StepFile, dest: string, keepTags: boolean, mode: number | undefined): Promise<void> {
  await ensureDir(path.dirname(dest));
  if (mode !== undefined) await fs.promises.chmod(file.path, mode);
  if (keepTags) await moveTagged(tags.get(), file.path, dest);
  else {
    await fs.promises.rename(file.path, dest).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EXDEV') throw err;
      await fs.promises.copyFile(file.path, `${dest}.t`);
      await fs.promises.rename(`${dest}.t`, dest);
      await fs.promises.unlink(file.path);
    });
    await tags.get().drop(file.path);
  }
}

/** `builtin:move`: `dest_dir` (plugin/step or absolute), `dest_basename`, `force_chmod`, `drop_tags`. */
export function moveStep(deps: BuiltinDeps): StepDefinition {
  const dest = destinationOption(deps, 'dest_dir');
  const template = option(deps, 'dest_basename', '{ORIGINAL_BASENAME}');
  validateDestBasename(template);
  const mode = chmodOption(deps);
  const drop = option(deps, 'drop_tags', 'AUTO').toUpperCase();
  const dropTags = drop === 'AUTO' ? dest.kind === 'dir' : drop === '1';
  const tags = new LazyTags(deps);
  return {
    async process(file, ctx) {
      const name = expandDestBasename(template, basenameValues(file));
      const dir = dest.kind === 'dir' ? dest.dir : ctx.inbox(dest.plugin, dest.step);
      let target = inside(dir, name);
      // A file waiting in a step inbox is never replaced (an absolute directory is the operator's: replaced, as MFDATA).
      if (dest.kind === 'step' && fs.existsSync(target)) target = `${target}.${newRandomId().slice(0, 8)}`;
      await placeFile(tags, file, target, !dropTags, mode);
      return true;
    },
    destroy: () => tags.close(),
  };
}

/** `builtin:archive`: keeps files under `dest_dir/<dest_basename>` (dated sub-directories), tags in `<name>.tags`. */
export function archiveStep(deps: BuiltinDeps): StepDefinition {
  const dest = destinationOption(deps, 'dest_dir');
  if (dest.kind !== 'dir') throw new BuiltinStepError(deps.plugin.name, deps.step.name, 'dest_dir', 'must be an absolute directory');
  const template = option(deps, 'dest_basename', '%Y%m%d/{ORIGINAL_UID}');
  validateDestBasename(template, true);
  const keepTags = boolOption(deps, 'keep_tags', true);
  const suffix = option(deps, 'keep_tags_suffix', '.tags');
  const mode = chmodOption(deps);
  const tags = new LazyTags(deps);
  return {
    async process(file) {
      const target = inside(dest.dir, expandDestBasename(template, basenameValues(file), true));
      await ensureDir(path.dirname(target));
      if (keepTags) await tags.get().dump(file.path, `${target}${suffix}`);
      await placeFile(tags, file, target, false, mode);
      return true;
    },
    destroy: () => tags.close(),
  };
}
