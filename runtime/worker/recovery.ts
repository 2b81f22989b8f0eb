// Recovery of orphaned claims: files left in tmp/<plugin>.<step>/ by a worker that died are taken over atomically,
// then put back into the inbox (and re-announced), or sent to the failure policy after too many deaths.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeMessage, messageFor } from '../queue/message';
import { crashCountTag, INBOX_BASENAME, ORIGINAL_UID } from '../tags/tag-names';
import { appendJourneyEvent } from '../journey/append';
import { traceEnd } from '../queue/keys';
import type { TagStore } from '../tags/tag-store';
import { errorCode } from '../tags/tagged-file';
import { moveTaggedIntoInbox } from '../tags/inbox-name';
import type { Logger } from '../log/mflog';
import type { RescanTarget } from '../observer/rescan';
import { rescanDirectory } from '../observer/rescan';
import { CLAIM_NAME, PREFIX_LENGTH, SCRATCH_NAME, type ClaimOwners, type OwnerState } from './claim-owners';
import { applyFailurePolicy, type FailurePolicyTarget } from './failure-policy';
import type { DataRedis } from '../redis/types';

/** A file whose worker died this many times goes to the failure policy instead of looping. */
export const MAX_CRASHES = 3;

export interface RecoveryEnv {
  tmpDir: string;
  plugin: string;
  step: string;
  owners: ClaimOwners;
  tags: TagStore;
  redis: DataRedis;
  queue: string;
  /** Where a recovered file is put back: the step's inbox (always watched, and only this step's). */
  inbox: string;
  /** The observer's directories feeding this step: rescanned when a dead worker is found (it may have popped a message and died before claiming). */
  rescanTargets: RescanTarget[];
  failure: FailurePolicyTarget;
  log: Logger;
}

export interface RecoveryReport {
  requeued: number;
  failed: number;
  scratchRemoved: number;
  deadOwners: number;
}

export async function recoverOrphans(env: RecoveryEnv): Promise<RecoveryReport> {
  const report: RecoveryReport = { requeued: 0, failed: 0, scratchRemoved: 0, deadOwners: 0 };
  let names: string[];
  try {
    names = await fs.promises.readdir(env.tmpDir);
  } catch {
    return report;
  }
  const states = new Map<string, OwnerState>();
  const stateOf = (prefix: string): OwnerState => {
    let s = states.get(prefix);
    if (!s) states.set(prefix, (s = env.owners.stateOf(prefix)));
    return s;
  };
  for (const name of names) {
    const isClaim = CLAIM_NAME.test(name);
    if (!isClaim && !SCRATCH_NAME.test(name)) continue;
    if (stateOf(name.slice(0, PREFIX_LENGTH)) !== 'dead') continue;
    const orphan = path.join(env.tmpDir, name);
    if (!isClaim) {
      await fs.promises.rm(orphan, { force: true });
      report.scratchRemoved++;
      continue;
    }
    // A worker that died in its exit handler or watchdog named the file it was processing (a batch worker: the
    // files of its batch, named before the batch ran): only those count the death; the files it had claimed ahead
    // go back untouched. Without a name (SIGKILL between files), all do.
    const prefix = name.slice(0, PREFIX_LENGTH);
    const culprits = env.owners.culpritsOf(prefix);
    const inboxPath = env.owners.intentOf(prefix).get(name);
    if (await recoverClaim(env, orphan, culprits === undefined || culprits.has(name), inboxPath)) report.requeued++;
    else report.failed++;
  }
  // Registrations of dead owners go once their claims are handled; a dead owner may also have popped a
  // message and died before its claim: re-announce what waits in the step's directories.
  for (const prefix of env.owners.registeredPrefixes()) {
    if (stateOf(prefix) === 'dead') {
      env.owners.forget(prefix);
      report.deadOwners++;
    }
  }
  if (report.deadOwners > 0 || report.requeued > 0 || report.failed > 0) {
    for (const target of env.rescanTargets) {
      await rescanDirectory(target, {
        queueLength: (q) => env.redis.llen(q),
        push: async (q, dir, file) => { await env.redis.lpush(q, encodeMessage(messageFor(dir, file, 'exists'))); },
      });
    }
  }
  return report;
}

/** Takes the orphan over (rename into a claim of ours: one recoverer wins), then requeues it or fails it. True if requeued. */
async function recoverClaim(env: RecoveryEnv, orphan: string, countCrash: boolean, inboxPath: string | undefined): Promise<boolean> {
  const mine = path.join(env.tmpDir, env.owners.newUid());
  try {
    await fs.promises.rename(orphan, mine);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return true; // another recovering worker won
    throw err;
  }
  const hadTags = await env.tags.move(orphan, mine);
  // Killed between its rename and the Redis call that moves tags: the tags still sit under the inbox path.
  if (!hadTags && inboxPath !== undefined) await env.tags.move(inboxPath, mine);
  const crashTag = crashCountTag(env.plugin, env.step);
  const crashes = countCrash ? await env.tags.increment(mine, crashTag) : Number((await env.tags.get(mine, crashTag)) ?? 0);
  if (crashes >= MAX_CRASHES) {
    const reason = `the worker died ${crashes} times while processing this file (killed or crashed); not retried again`;
    // Named by the dead worker's claim (the orphan's name), so the journey shows this failure on that claim.
    const outcome = await applyFailurePolicy(env.failure, mine, reason, path.basename(orphan));
    env.log.error('file abandoned after repeated worker deaths', { file: mine, crashes, final_path: outcome.finalPath });
    return false;
  }
  const reason = crashes > 0 ? `the worker died while processing this file (${crashes} of ${MAX_CRASHES}); put back into the inbox` : 'the worker died with this file claimed ahead; put back into the inbox';
  const dst = await putBackClaim(env, mine, path.basename(orphan), reason, 'last', inboxPath && path.basename(inboxPath));
  env.log.warning('orphaned claim of a dead worker put back into the inbox', { file: dst, crashes });
  return true;
}

/**
 * Puts a claimed file back into its step's inbox, under the name it had there (never over a file waiting under that
 * name, tags/inbox-name.ts), and queues it: `last`, behind the waiting messages (recovery), or `next`, to be popped
 * first (a stopping worker's files claimed ahead, in their order). The claim ends in the file's journey as a failure
 * back into the inbox, with `reason`. Returns the inbox path.
 */
export async function putBackClaim(
  env: Pick<RecoveryEnv, 'inbox' | 'tags' | 'redis' | 'queue' | 'failure' | 'plugin' | 'step' | 'log'>,
  claimPath: string, claimUid: string, reason: string, order: 'last' | 'next', inboxName?: string,
): Promise<string> {
  const name = ((await env.tags.get(claimPath, INBOX_BASENAME)) ?? inboxName)?.replace(/\//g, '_') || path.basename(claimPath);
  await fs.promises.mkdir(env.inbox, { recursive: true });
  await recordPutBack(env, claimPath, claimUid, reason);
  // Never over a file waiting under that name, even one a mover is placing right now (tags/inbox-name.ts).
  const dst = await moveTaggedIntoInbox(env.tags, claimPath, path.join(env.inbox, name));
  // Announce it ourselves too: the inbox may not be watched, and a duplicate is absorbed by the claim.
  const message = encodeMessage(messageFor(env.inbox, path.basename(dst), 'exists'));
  if (order === 'last') await env.redis.lpush(env.queue, message);
  else await env.redis.rpush(env.queue, message);
  return dst;
}

/**
 * The dead worker's claim ends in the file's journey as a failure back into its step's inbox (no trace is counted: no
 * file took a route). Best effort: a journey never holds recovery up.
 */
async function recordPutBack(env: Pick<RecoveryEnv, 'tags' | 'redis' | 'failure' | 'plugin' | 'step' | 'log'>, claimPath: string, claimUid: string, reason: string): Promise<void> {
  const keep = env.failure.state.journey.keep;
  if (keep <= 0) return;
  try {
    const uid = (await env.tags.get(claimPath, ORIGINAL_UID)) ?? '';
    await appendJourneyEvent(env.redis, keep, uid, { e: 'fail', c: claimUid, p: env.plugin, s: env.step, to: traceEnd(env.plugin, env.step), reason, t: Date.now() });
  } catch (err) {
    env.log.exception('cannot record a recovered claim in its journey', err, { file: claimPath }, 'warning');
  }
}
