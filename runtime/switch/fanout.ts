// The copy/hardlink/move fan-out of one file to N step inboxes (MFDATA's copy and switch algorithm), with the I/O injected.
import type { SwitchRuleTarget } from '../config/model';

export type TransferOp = 'copy' | 'hardlink' | 'move';

export interface FanOutOptions {
  /**
   * False when hardlinks must not be used at all: the file belongs to another user (a hardlink would keep
   * that owner), or the inboxes are on another filesystem. Every would-be hardlink becomes a copy.
   */
  hardlinkPossible: boolean;
}

/** The operation for one of the first N−1 targets: the original must stay in place for the next ones. */
export function earlyTransfer(target: SwitchRuleTarget, options: FanOutOptions): TransferOp {
  return target.hardlinkAllowed && options.hardlinkPossible ? 'hardlink' : 'copy';
}

/**
 * The operation for the last target. A move is the cheap default, but it is a copy when
 * - an earlier transfer failed: the original must stay for the failure policy, or
 * - an earlier target got a hardlink and this one does not allow hardlinks: moving the original would
 *   make this target share its inode with the hardlinked ones.
 */
export function lastTransfer(target: SwitchRuleTarget, state: { hardlinkUsed: boolean; anyFailed: boolean }): TransferOp {
  if (state.anyFailed) return 'copy';
  if (state.hardlinkUsed && !target.hardlinkAllowed) return 'copy';
  return 'move';
}

export interface PlannedTransfer {
  target: SwitchRuleTarget;
  op: TransferOp;
}

/** The plan when every transfer succeeds (what the switch does on a healthy system). */
export function planFanOut(targets: readonly SwitchRuleTarget[], options: FanOutOptions): PlannedTransfer[] {
  const plan: PlannedTransfer[] = [];
  let hardlinkUsed = false;
  targets.forEach((target, i) => {
    const op = i < targets.length - 1 ? earlyTransfer(target, options) : lastTransfer(target, { hardlinkUsed, anyFailed: false });
    if (op === 'hardlink') hardlinkUsed = true;
    plan.push({ target, op });
  });
  return plan;
}

/** Performs one transfer; resolves false (or throws) when it failed. */
export type ApplyTransfer = (target: SwitchRuleTarget, op: TransferOp) => Promise<boolean>;

export interface FanOutResult {
  transfers: { target: SwitchRuleTarget; op: TransferOp; ok: boolean; error?: unknown }[];
  /** Every target received the file. */
  allOk: boolean;
  /** The original was moved away (nothing left to delete or to hand to the failure policy). */
  originalMoved: boolean;
}

/** Runs the fan-out over at least one target, deciding the last operation from what actually happened. */
export async function runFanOut(targets: readonly SwitchRuleTarget[], apply: ApplyTransfer, options: FanOutOptions): Promise<FanOutResult> {
  const result: FanOutResult = { transfers: [], allOk: true, originalMoved: false };
  let hardlinkUsed = false;
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i];
    const op = i < targets.length - 1 ? earlyTransfer(target, options) : lastTransfer(target, { hardlinkUsed, anyFailed: !result.allOk });
    let ok = false;
    let error: unknown;
    try {
      ok = await apply(target, op);
    } catch (err) {
      error = err;
    }
    result.transfers.push(error === undefined ? { target, op, ok } : { target, op, ok, error });
    if (!ok) result.allOk = false;
    else if (op === 'hardlink') hardlinkUsed = true;
    else if (op === 'move') result.originalMoved = true;
  }
  return result;
}
