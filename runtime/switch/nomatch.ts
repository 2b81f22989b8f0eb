// What the switch does with a file no rule matched: `switch_no_match_policy` (delete, or keep in trash/<switch>.nomatch/).
import * as path from 'node:path';

export type NoMatchPolicy = 'delete' | 'keep';

export class NoMatchPolicyError extends Error {
  constructor(readonly value: string) {
    super(`switch_no_match_policy = '${value}' is not a policy (use 'delete' or 'keep')`);
    this.name = 'NoMatchPolicyError';
  }
}

export function parseNoMatchPolicy(value: string | undefined): NoMatchPolicy {
  const v = (value ?? '').trim();
  if (v === '' || v === 'delete') return 'delete';
  if (v === 'keep') return 'keep';
  throw new NoMatchPolicyError(v);
}

/** `IN/trash/<switch>.nomatch/`. */
export function noMatchDir(inDir: string, switchName: string): string {
  return path.join(inDir, 'trash', `${switchName}.nomatch`);
}

/** Where a kept file goes: its original basename when asked (and known), else its uid. */
export function noMatchPath(inDir: string, switchName: string, file: { uid: string; originalBasename?: string }, keepOriginalBasename: boolean): string {
  const name = keepOriginalBasename && file.originalBasename ? path.basename(file.originalBasename) : file.uid;
  return path.join(noMatchDir(inDir, switchName), name);
}
