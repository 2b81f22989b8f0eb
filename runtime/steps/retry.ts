// Retries with MFDATA's reinject semantics: a failing step's files go to a hidden sibling step `<step>_reinject`, which
// keeps each one until its retry is due (the due time is in its file name, so pending retries survive a restart),
// moves it back into the step's inbox, and after `retry_total` attempts applies the step's original failure policy.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StepDefinition } from '../api/types';
import type { FailurePolicy, PluginConfig, StepConfig } from '../config/model';
import { runtimeHome, stepInbox, type RuntimeHome } from '../home';
import { StepState } from '../queue/step-state';
import { moveTagged } from '../tags/tagged-file';
import { ORIGINAL_BASENAME, ORIGINAL_UID } from '../tags/tag-names';
import { applyFailurePolicy } from '../worker/failure-policy';
import { newRandomId } from './dest-basename';
import { nextRetry, validateRetryPolicy, type RetryPolicy } from './retry-delay';
import { LazyTags, option, type BuiltinDeps } from './builtin';

export const REINJECT_SUFFIX = '_reinject';
export const REINJECT_MODULE = 'builtin:reinject';

/** `IN/retry/<plugin>.<step>/`: files waiting for their retry, named `<due ms>-<attempt>-<id>`. */
export function retryWaitDir(home: RuntimeHome, plugin: string, step: string): string {
  return path.join(home.inDir, 'retry', `${plugin}.${step}`);
}

/**
 * Adds `<step>_reinject` for every step with `retry_total > 0` and points that step's failure policy at it
 * (MFDATA's generator does the same). The reinject step carries the original policy for the give-up.
 */
export function withRetrySteps(plugin: PluginConfig, homeRoot: string): PluginConfig {
  const home = runtimeHome(homeRoot);
  const steps: StepConfig[] = [];
  for (const s of plugin.steps) {
    if (!(s.retryTotal > 0) || s.name.endsWith(REINJECT_SUFFIX) || s.stepModule === REINJECT_MODULE) {
      steps.push(s);
      continue;
    }
    const name = `${s.name}${REINJECT_SUFFIX}`;
    steps.push({ ...s, failurePolicy: 'move', failurePolicyMoveDestDir: `${plugin.name}/${name}` });
    steps.push({
      ...s, name, stepModule: REINJECT_MODULE, stepModulePath: undefined, numprocesses: 1, maxAge: 0, maxAgeVariance: 30,
      processTimeout: 0, retryTotal: 0, watchedDirectories: [stepInbox(home, plugin.name, name)],
      failurePolicy: s.failurePolicy, failurePolicyMoveDestDir: s.failurePolicyMoveDestDir,
      options: {
        retry_of: s.name, retry_total: String(s.retryTotal), retry_min_wait: String(s.retryMinWait),
        retry_max_wait: String(s.retryMaxWait), retry_backoff: String(s.retryBackoff),
      },
    });
  }
  return { ...plugin, steps };
}

/** `<due ms>-<attempt>-<id>` → its parts; undefined for anything else (left alone). */
export function parseWaitingName(name: string): { due: number; attempt: number; id: string } | undefined {
  const m = /^(\d+)-(\d+)-([0-9a-f]+)$/.exec(name);
  return m ? { due: Number(m[1]), attempt: Number(m[2]), id: m[3] } : undefined;
}

/** `builtin:reinject` (generated, never written by hand). */
export function reinjectStep(deps: BuiltinDeps): StepDefinition {
  const { home, plugin } = deps;
  const target = option(deps, 'retry_of');
  const policy: RetryPolicy = {
    total: Number(option(deps, 'retry_total', '0')), minWait: Number(option(deps, 'retry_min_wait', '10')),
    maxWait: Number(option(deps, 'retry_max_wait', '120')), backoff: Number(option(deps, 'retry_backoff', '0')),
  };
  validateRetryPolicy(policy);
  const waitDir = retryWaitDir(home, plugin.name, target);
  const tags = new LazyTags(deps);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  /** Moves every due file back into the step's inbox; reschedules itself for the next due time. */
  async function reinjectDue(): Promise<void> {
    timer = undefined;
    if (stopped) return;
    let next = Infinity;
    let names: string[] = [];
    try { names = await fs.promises.readdir(waitDir); } catch { /* nothing waits yet */ }
    for (const name of names) {
      const w = parseWaitingName(name);
      if (!w) continue;
      if (w.due > Date.now()) { next = Math.min(next, w.due); continue; }
      const inbox = stepInbox(home, plugin.name, target);
      try {
        await fs.promises.mkdir(inbox, { recursive: true });
        const waiting = path.join(waitDir, name);
        const dest = path.join(inbox, newRandomId());
        // Who the file is, read before the move: once in the inbox, the step's claim may take its tags away at once.
        const [originalUid, originalName] = await Promise.all([tags.get().get(waiting, ORIGINAL_UID), tags.get().get(waiting, ORIGINAL_BASENAME)]);
        await moveTagged(tags.get(), waiting, dest);
        // The edge <step>_reinject → <step> of the flow graph, and (journeys on) the move on the reinject step's claim,
        // whose uid names the waiting file: the journey shows when the retry was put back.
        await new StepState(tags.get().redis, plugin.name, deps.step.name).trace(`${plugin.name}/${target}`, new Date(),
          originalUid ? { tagPath: dest, claimUid: w.id, originalUid, name: originalName ?? '' } : undefined);
        deps.log.info('retry: file reinjected', { step: target, attempt: w.attempt });
      } catch (err) {
        // ENOENT: another reinject worker took it. Anything else is retried on the next pass.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') deps.log.exception('retry: cannot reinject a file', err, { file: name });
      }
    }
    if (!stopped) timer = setTimeout(() => void reinjectDue(), Math.max(20, Math.min(1000, next - Date.now())));
  }

  return {
    async init() {
      await fs.promises.mkdir(waitDir, { recursive: true });
      // Files left waiting by a previous run are found here: their due times are in their names.
      await reinjectDue();
    },
    async process(file, ctx) {
      const done = Number((await ctx.getTag(file, 'attempt')) ?? 0) || 0;
      const decision = nextRetry(policy, done);
      if (decision.action === 'give_up') {
        const failure = {
          home, policy: deps.step.failurePolicy as FailurePolicy, moveDestDir: deps.step.failurePolicyMoveDestDir,
          tags: tags.get(), state: new StepState(tags.get().redis, plugin.name, target), giveUp: true,
        };
        const outcome = await applyFailurePolicy(failure, file.path, `gave up after ${done} retries (retry_total = ${policy.total})`);
        // MFDATA counts the give-up as one more processing error (tagged with this reinject step).
        ctx.metrics.counter('number_of_processing_errors', 1);
        ctx.log.warning('retry: giving up, original failure policy applied', { step: target, attempts: done, policy: failure.policy, final_path: outcome.finalPath });
        return true;
      }
      await ctx.setTag(file, 'attempt', decision.attempt);
      const due = Date.now() + Math.round(decision.delaySeconds * 1000);
      await fs.promises.mkdir(waitDir, { recursive: true });
      // Named by the claim's uid: the reinject's journey event (reinjectDue) belongs to this claim.
      await moveTagged(tags.get(), file.path, path.join(waitDir, `${due}-${decision.attempt}-${file.uid}`));
      ctx.log.info('retry: scheduled', { step: target, attempt: decision.attempt, delay_s: decision.delaySeconds });
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void reinjectDue(), Math.max(0, due - Date.now()));
      return true;
    },
    async destroy() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await tags.close();
    },
  };
}
