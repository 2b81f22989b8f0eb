// The one-shot debug run's result (MFDATA's debug mode): what the step did with one file, written as JSON for the
// extension. Pure: the report's shape and the failure policy described without applying it.
import * as path from 'node:path';
import type { StepConfig } from '../config/model';
import { stepInbox, stepTrashDir, type RuntimeHome } from '../home';

export const REPORT_VERSION = 1;

/** A routing call the step made (`ctx.moveToPluginStep` …), performed into the run's scratch directory only. */
export interface RoutedFile {
  action: 'move' | 'copy' | 'hardlink';
  plugin: string;
  step: string;
  /** Where the file would have gone: `<inbox of plugin/step>/<name>`. */
  wouldGoTo: string;
  /** Where the run put it instead (scratch), so its content can be looked at. */
  scratchPath: string;
}

/** What the failure policy would have done with the file. */
export interface FailurePolicyOutcome {
  policy: StepConfig['failurePolicy'];
  /** One sentence: "moved to …/trash/p.s/name with name.tags", "deleted", … */
  description: string;
  /** The file's destination (undefined for `delete`). */
  destination?: string;
}

export interface StepException {
  type: string;
  message: string;
  stack?: string;
  /** `file:line[:column]` of the throw, in the plugin's own source when known. */
  location?: string;
}

export interface OneShotReport {
  version: typeof REPORT_VERSION;
  plugin: string;
  step: string;
  /** The file given to the run (never modified). */
  source: string;
  /** The copy the step processed. */
  copy: string;
  startedAt: string;
  durationMs: number;
  /** `success`: process() returned true; `failure`: false, a throw or a load error. */
  outcome: 'success' | 'failure';
  /** process()'s return value (undefined when it threw). */
  returned?: unknown;
  /** Why it failed, in the words the worker would put in `latest.core.failure_reason`. */
  reason?: string;
  exception?: StepException;
  /** Set on failure only: what the worker would do with the file. */
  failurePolicy?: FailurePolicyOutcome;
  /** Tags the step wrote (`ctx.setTag`), raw names. */
  tagsSet: Record<string, string>;
  /** Every tag of the file at the end. */
  tags: Record<string, string>;
  routed: RoutedFile[];
  /** Where the copy ended: `deleted` (success, not routed away), `routed`, or still at `copy` (failure). */
  finalState: 'deleted' | 'routed' | 'kept';
  /** Notes on what debug mode does differently (process_timeout not applied, …). */
  notes: string[];
}

/** Where the file would go under the step's failure policy (mirrors runtime/worker/failure-policy.ts). */
export function describeFailurePolicy(home: RuntimeHome, plugin: string, step: StepConfig, originalBasename: string): FailurePolicyOutcome {
  const name = originalBasename.replace(/\//g, '_') || '_';
  if (step.failurePolicy === 'delete') return { policy: 'delete', description: 'the file would be deleted (failure_policy = delete)' };
  if (step.failurePolicy === 'move') {
    const dest = step.failurePolicyMoveDestDir;
    if (!path.isAbsolute(dest)) {
      const [p, s] = dest.split('/');
      const destination = path.join(stepInbox(home, p ?? '', s ?? ''), name);
      return { policy: 'move', destination, description: `the file would be moved to step ${p}/${s} (${destination}) with its tags (failure_policy = move)` };
    }
    const destination = path.join(dest, name);
    return { policy: 'move', destination, description: `the file would be moved to ${destination}, its tags in ${name}.tags (failure_policy = move)` };
  }
  const destination = path.join(stepTrashDir(home, plugin, step.name), name);
  return { policy: 'keep', destination, description: `the file would be kept in the trash: ${destination}, its tags in ${name}.tags (failure_policy = keep)` };
}

/** A short human summary, as the extension shows it in a notification. */
export function summarizeReport(r: OneShotReport): string {
  const head = r.outcome === 'success' ? `${r.plugin}/${r.step}: success` : `${r.plugin}/${r.step}: failure (${r.reason ?? 'unknown reason'})`;
  const parts = [head];
  const tagCount = Object.keys(r.tagsSet).length;
  if (tagCount > 0) parts.push(`${tagCount} tag${tagCount === 1 ? '' : 's'} set`);
  for (const x of r.routed) parts.push(`would ${x.action} to ${x.plugin}/${x.step}`);
  if (r.failurePolicy) parts.push(r.failurePolicy.description);
  return parts.join('; ');
}

export function isOneShotReport(x: unknown): x is OneShotReport {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Partial<OneShotReport>;
  return r.version === REPORT_VERSION && typeof r.plugin === 'string' && typeof r.step === 'string' && (r.outcome === 'success' || r.outcome === 'failure')
    && Array.isArray(r.routed) && typeof r.tagsSet === 'object';
}
