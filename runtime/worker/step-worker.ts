// A long-lived step worker: pops its queue (FIFO), claims each file by rename, runs the step, then deletes the
// file, leaves it where the step routed it, or applies the failure policy. SIGTERM finishes the current file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StepDefinition, StepFile } from '../api/types';
import type { PluginConfig, StepConfig } from '../config/model';
import { stepInbox, stepTmpDir, type RuntimeHome } from '../home';
import type { Logger } from '../log/mflog';
import { DISABLED_METRICS, type MetricsClient } from '../metrics/client';
import { METRIC } from '../metrics/format';
import type { RedisAddress } from '../redis/address';
import type { LeanRedis } from '../redis/client';
import { connectLeanRedis } from '../redis/connect';
import { QueueConsumer } from '../queue/consumer';
import { stepQueueKey } from '../queue/keys';
import { decodeMessage, encodeMessage, InvalidMessageError, messageFor, type QueueMessage } from '../queue/message';
import { DEFAULT_MAX_MEMORY_PERCENT } from '../journey/settings';
import { StepState, type ClaimInput } from '../queue/step-state';
import { crashCountTag, ORIGINAL_BASENAME, ORIGINAL_DIRNAME, ORIGINAL_UID } from '../tags/tag-names';
import { moveTaggedIntoInbox } from '../tags/inbox-name';
import { TagStore } from '../tags/tag-store';
import { errorCode } from '../tags/tagged-file';
import type { RescanTarget } from '../observer/rescan';
import { registerConfiguredEdges } from '../flow/configured-edges';
import { ClaimOwners } from './claim-owners';
import { BadInput, claimedEntry, MessageGuard } from './message-guard';
import { applyFailurePolicy, type FailurePolicyTarget } from './failure-policy';
import { whileRefused } from './redis-refusal';
import { putBackClaim, recoverOrphans } from './recovery';
import { WorkerStepContext } from './step-context';
import { Watchdog } from './watchdog';
import { IdleGc } from './idle-gc';
import { BetweenFilesGc } from './between-files-gc';
import { StepStatsRecorder } from '../stats/recorder';
import { withStepStats } from '../stats/recording-metrics';
import { stamp, stampsOn } from '../util/latency-stamps';
import { parseWaitingName, REINJECT_MODULE, retryWaitDir } from '../steps/retry';

export interface StepWorkerOptions {
  home: RuntimeHome;
  plugin: PluginConfig;
  step: StepConfig;
  redis: RedisAddress;
  definition: StepDefinition;
  log: Logger;
  rescanTargets: RescanTarget[];
  /** MFDATA's per-file metrics and the steps' `ctx.metrics` (default: disabled). */
  metrics?: MetricsClient;
  /** V8's full GC (from takeGc()), run when the queue stays empty after work; none = no idle collection. */
  collectGarbage?: () => void;
  /** V8's scavenge (from takeGc()), run between files when the queue is drained; none = V8 alone decides. */
  scavenge?: () => void;
}

/** Messages a quick worker pops and claims at once under a backlog. */
const CLAIM_AHEAD = 16;
/** How much longer than process_timeout a step may block the event loop before the watchdog kills the worker. */
const WATCHDOG_GRACE_MS = 2000;
/** Below this time per file a worker counts as quick. */
const QUICK_FILE_MS = 2;

class ProcessTimeoutError extends Error {
  constructor(seconds: number) {
    super(`process_timeout exceeded: the step took more than ${seconds} s`);
    this.name = 'ProcessTimeoutError';
  }
}

interface Claimed {
  file: StepFile;
  /** This file's share of the claim round (rename + Redis), counted in processing_file_timer as MFDATA's _before is. */
  claimMs: number;
  /** Its size at the claim (from the claim's lstat), counted as processed bytes. */
  size: number;
}

export class StepWorker {
  readonly queue: string;
  /** Our own client (runtime/redis), not ioredis: a worker's start, memory and CPU per file (docs/ARCHITECTURE.md). */
  private readonly redis: LeanRedis;
  private readonly consumer: QueueConsumer;
  private readonly tags: TagStore;
  private readonly state: StepState;
  private readonly owners: ClaimOwners;
  private readonly ctx: WorkerStepContext;
  private readonly tmpDir: string;
  /** Where this step's files are put back (recovered claims, files claimed ahead at stop, released retries): its own inbox, always watched. */
  private readonly inbox: string;
  private readonly failure: FailurePolicyTarget;
  private readonly guard: MessageGuard;
  private readonly badInput: BadInput;
  private stopping = false;
  /** Files claimed ahead (under a backlog) and not processed yet. */
  private ready: Claimed[] = [];
  /** Files finished since the last claim: their tag keys go with the next claim's round trip. */
  private pendingDrops: string[] = [];
  /** Time the last file took; unknown (infinite) until the first one: a new worker claims one file at a time. */
  private lastFileMs = Number.POSITIVE_INFINITY;
  /** Claim uid of the file in process() (undefined between files and in batches): named at a crash exit. */
  private current: string | undefined;
  private watchdog: Watchdog | undefined;
  private readonly metrics: MetricsClient;
  private readonly idleGc: IdleGc;
  private readonly betweenFilesGc: BetweenFilesGc;
  /** The previous pop took fewer messages than it asked for: the queue was drained, the next pop will probably wait. */
  private drained = true;
  /** When the last pop returned (MFDATA_LATENCY_STAMPS only). */
  private poppedAt = 0n;

  constructor(private readonly options: StepWorkerOptions) {
    const { home, plugin, step } = options;
    this.queue = stepQueueKey(plugin.name, step.name);
    this.inbox = stepInbox(home, plugin.name, step.name);
    this.tmpDir = stepTmpDir(home, plugin.name, step.name);
    const name = `mfdata:worker:${plugin.name}.${step.name}:${process.pid}`;
    this.redis = connectLeanRedis(options.redis, {
      name, onOutage: (err) => options.log.warning('Redis unavailable: waiting for it to come back', { error: err.message }),
    });
    this.consumer = new QueueConsumer(options.redis, `${name}:pop`, this.redis);
    this.tags = new TagStore(this.redis);
    this.state = new StepState(this.redis, plugin.name, step.name);
    this.state.journey.onGateChange = ({ paused, usedPercent }) => {
      const fields = {
        redis_used_percent: usedPercent >= 0 ? Math.round(usedPercent * 10) / 10 : 'no maxmemory',
        max_memory_percent: this.state.journey.settings.maxMemoryPercent ?? DEFAULT_MAX_MEMORY_PERCENT,
      };
      if (paused) options.log.warning('journeys paused: Redis is short of memory (files are processed as before; housekeeping drops the oldest journeys)', fields);
      else options.log.info('journeys resumed: Redis has room again', fields);
    };
    this.owners = new ClaimOwners(this.tmpDir, plugin.name, step.name);
    const stepMetrics = options.metrics ?? DISABLED_METRICS;
    // What the worker counts also feeds the step stats in Redis (`mfdata stats`, the views); step code gets the sinks only.
    this.metrics = withStepStats(stepMetrics, new StepStatsRecorder(this.redis, plugin.name, step.name, { warn: (e, f) => options.log.warning(e, f) }));
    this.ctx = new WorkerStepContext(home, plugin, step, options.log, this.tags, this.state, this.owners, stepMetrics);
    this.failure = {
      home, policy: step.failurePolicy, moveDestDir: step.failurePolicyMoveDestDir, tags: this.tags, state: this.state,
      onDiskFull: (tagsFile, err) => options.log.warning('disk full: waiting for space to write the .tags of a failed file (it is in place already)', { tags_file: tagsFile, error: err.message }),
    };
    // A message may only name files in a directory feeding this step: a queue is not a way to grab any file.
    this.guard = new MessageGuard([...step.watchedDirectories, stepInbox(home, plugin.name, step.name), ...options.rescanTargets.map((r) => r.directory)]);
    this.idleGc = new IdleGc(options.collectGarbage, (ms) => {
      if (options.log.isEnabled('debug')) options.log.debug('idle: garbage collected', { gc_ms: Math.round(ms * 10) / 10, heap_used_mb: Math.round(process.memoryUsage().heapUsed / 1e5) / 10 });
    });
    this.betweenFilesGc = new BetweenFilesGc(options.scavenge);
    this.badInput = new BadInput({ redis: this.redis, tags: this.tags, log: options.log, queue: this.queue, plugin: plugin.name, step: step.name, failure: this.failure });
  }

  /** Registers as a claim owner, recovers dead workers' claims, runs `init`. */
  async start(): Promise<void> {
    await fs.promises.mkdir(this.tmpDir, { recursive: true });
    this.owners.register();
    // process.exit() in step code, or a crash: name the file in hand so only it counts the death.
    process.on('exit', () => { if (this.current !== undefined) this.owners.recordCulprit(this.current); });
    const { plugin, step } = this.options;
    const report = await recoverOrphans({
      tmpDir: this.tmpDir, plugin: plugin.name, step: step.name, owners: this.owners, tags: this.tags, redis: this.redis,
      queue: this.queue, inbox: this.inbox,
      rescanTargets: this.options.rescanTargets, failure: this.failure, log: this.options.log,
    });
    if (report.deadOwners + report.requeued + report.failed + report.scratchRemoved > 0) {
      this.options.log.warning('recovered the claims of dead workers', { ...report });
    }
    if (!(step.retryTotal > 0) && step.stepModule !== REINJECT_MODULE) await this.releaseRetries();
    // MFDATA's virtual traces: the edges this step's configuration declares, shown before any traffic.
    await registerConfiguredEdges(this.options.home, plugin, step, this.state).catch((err: unknown) => {
      this.options.log.exception('cannot register the configured flow-graph edges', err, undefined, 'warning');
    });
    await this.options.definition.init?.(this.ctx);
  }

  /** Ends the loop after the current file (or batch); a pending pop returns at once. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    void this.consumer.stop();
  }

  /** Pops and handles messages until stopped; files already claimed are finished first. */
  async run(): Promise<void> {
    const batch = this.options.definition.batchProcess !== undefined && !this.options.definition.process;
    if (batch) {
      await this.runBatches();
      return;
    }
    for (;;) {
      const claimed = await this.nextClaimed(0);
      if (!claimed) {
        if (this.stopping) return;
        continue;
      }
      const started = performance.now();
      await this.processOne(claimed);
      this.lastFileMs = performance.now() - started;
    }
  }

  async close(): Promise<void> {
    this.idleGc.close();
    await this.putBackClaimedAhead();
    try {
      await this.options.definition.destroy?.(this.ctx);
    } catch (err) {
      this.options.log.exception('destroy() failed', err);
    }
    await this.state.journey.flushNow();
    await this.flushDrops();
    await this.watchdog?.close();
    this.owners.unregister();
    await this.consumer.close();
    await this.metrics.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /**
   * The next claimed file: from the files claimed ahead, else from a new pop. A worker whose files are quick
   * takes (and claims, in one Redis round trip) up to CLAIM_AHEAD messages under a backlog; one with slow
   * files takes one at a time, so the other workers of the step are not starved; so does a new worker until its
   * first file is done (a slow step's worker started under a backlog took 16 files, and its stop then ran out of
   * graceful time on them). Once stopping, nothing is returned: files claimed ahead are put back (close()).
   */
  private async nextClaimed(timeoutSeconds: number): Promise<Claimed | undefined> {
    if (this.stopping) return undefined;
    while (this.ready.length === 0) {
      if (this.stopping) return undefined;
      let raws: string[] = [];
      if (this.drained) this.betweenFilesGc.beforeIdlePop();
      this.idleGc.waiting();
      const max = this.lastFileMs < QUICK_FILE_MS ? CLAIM_AHEAD : 1;
      try {
        raws = await this.consumer.popSome(this.queue, max, timeoutSeconds);
      } catch (err) {
        if (!this.stopping) this.options.log.exception('queue pop failed; retrying', err, undefined, 'warning');
        return undefined;
      } finally {
        this.idleGc.resumed(raws.length);
        this.drained = raws.length < max;
      }
      if (raws.length === 0) return undefined;
      if (stampsOn) this.poppedAt = process.hrtime.bigint();
      this.ready = await this.claimAll(raws);
    }
    return this.ready.shift();
  }

  /**
   * A stopping worker's files claimed ahead and not started go back to the front of the queue, in their order, for
   * the step's other workers or its next start: stopping waits for the file in process() only.
   */
  private async putBackClaimedAhead(): Promise<void> {
    const ahead = this.ready.splice(0);
    const { plugin, step, log } = this.options;
    const env = {
      inbox: this.inbox, tags: this.tags, redis: this.redis, queue: this.queue,
      failure: this.failure, plugin: plugin.name, step: step.name, log,
    };
    for (const c of ahead.reverse()) {
      try {
        await putBackClaim(env, c.file.path, c.file.uid, 'the worker stopped before processing this file (claimed ahead); put back into the inbox', 'next');
      } catch (err) {
        // Left claimed: the next worker of the step recovers it as a dead worker's claim.
        log.exception('cannot put a file claimed ahead back into the inbox; the next worker start recovers it', err, { file: c.file.path }, 'warning');
      }
    }
    if (ahead.length > 0) log.info('files claimed ahead put back into the inbox', { files: ahead.length });
  }

  private async flushDrops(): Promise<void> {
    const files = this.pendingDrops.splice(0);
    await this.state.dropTags(files).catch((err: unknown) => {
      this.options.log.exception('cannot drop the tags of finished files (they expire within a day)', err, undefined, 'warning');
    });
  }

  /** Decodes the messages, renames their files into our tmp area, then records every claim in one round trip. */
  private async claimAll(raws: string[]): Promise<Claimed[]> {
    const log = this.options.log;
    const claimStarted = this.metrics.enabled ? performance.now() : 0;
    const inputs: Array<ClaimInput & { msg: QueueMessage; size: number }> = [];
    const planned: Array<{ msg: QueueMessage; src: string; uid: string }> = [];
    const newUid = this.owners.newBatch();
    for (const raw of raws) {
      let msg: QueueMessage;
      try {
        msg = decodeMessage(raw);
      } catch (err) {
        if (!(err instanceof InvalidMessageError)) throw err;
        await this.badInput.rejectMessage('skipped an invalid queue message', raw, err.reason);
        continue;
      }
      const verdict = this.guard.check(msg);
      if (!verdict.ok) {
        await this.badInput.rejectMessage('refused a message naming a file outside the step\'s directories', raw, verdict.reason);
        continue;
      }
      planned.push({ msg, src: verdict.src, uid: newUid() });
    }
    if (planned.length === 0) return [];
    if (stampsOn) for (const p of planned) { stamp('w_pop', p.msg.filename, this.poppedAt); stamp('w_guard', p.msg.filename); }
    // Before the renames: a kill between them and recordClaims must not cost the files their names and tags.
    this.owners.recordIntent(planned.map((p) => ({ uid: p.uid, inboxPath: p.src })));
    if (stampsOn) for (const p of planned) stamp('w_intent', p.msg.filename);
    for (const { msg, src, uid } of planned) {
      const claimPath = path.join(this.tmpDir, uid);
      try {
        // Synchronous: rename(2) costs ~25 µs; a thread-pool hop costs more.
        fs.renameSync(src, claimPath);
      } catch (err) {
        // ENOENT: another worker claimed it first, or a duplicate event for a file already processed.
        if (errorCode(err) === 'ENOENT') log.debug('skipped a message: the file no longer exists', { file: src });
        else log.exception('cannot claim the file', err, { file: src });
        continue;
      }
      // lstat of our own claim (not of the inbox entry, which could be swapped meanwhile): only regular files go on.
      const entry = claimedEntry(claimPath);
      if (entry?.kind !== 'file') {
        if (entry !== undefined) await this.badInput.setAside(entry.kind, src, claimPath).catch((err: unknown) => log.exception('cannot set aside a claimed entry', err, { file: src, claim: claimPath }));
        continue;
      }
      inputs.push({ inboxPath: src, claimPath, uid, msg, size: entry.size });
    }
    if (inputs.length === 0) return [];
    if (stampsOn) for (const p of inputs) stamp('w_renamed', p.msg.filename);
    const drops = this.pendingDrops.splice(0);
    // The Lua claim script is refused as a whole (nothing applied), so running it again is safe.
    const records = await whileRefused(() => this.state.recordClaims(inputs, drops), () => this.stopping,
      (err) => log.warning('Redis refuses writes: the claimed files wait in tmp/ until it accepts them', { files: inputs.length, error: err.message }));
    if (stampsOn) for (const p of inputs) stamp('w_claimed', p.msg.filename);
    const claimMs = this.metrics.enabled ? (performance.now() - claimStarted) / inputs.length : 0;
    return inputs.map(({ inboxPath, claimPath, uid, msg, size }, i) => {
      const { stepCounter, tags } = records[i];
      if (log.isEnabled('debug')) log.debug('claimed a file', { file: inboxPath, claim: claimPath, step_counter: stepCounter });
      // Journeys: whether the step sets tags on it decides if its leave event must read them back from Redis.
      if (this.state.journey.enabled) this.tags.track(claimPath);
      return {
        file: {
          path: claimPath, uid, stepCounter, tags,
          originalBasename: tags[ORIGINAL_BASENAME] ?? msg.filename,
          originalDirname: tags[ORIGINAL_DIRNAME] ?? path.basename(msg.directory),
          originalUid: tags[ORIGINAL_UID] ?? uid,
        },
        claimMs,
        size,
      };
    });
  }

  private async processOne({ file, claimMs, size }: Claimed): Promise<void> {
    const { definition, step, log } = this.options;
    const started = this.metrics.enabled ? performance.now() : 0;
    this.countClaimed(size);
    let status = false;
    let reason = 'process() returned false';
    if (file.stepCounter > step.stepLimit) {
      reason = `step_limit exceeded: the file went through ${file.stepCounter} steps (limit ${step.stepLimit}); a routing loop?`;
      log.error('step_limit exceeded: the failure policy applies', { file: file.path, original_basename: file.originalBasename, step_counter: file.stepCounter });
    } else {
      try {
        this.current = file.uid;
        if (stampsOn) stamp('process', file.originalBasename);
        status = (await this.withTimeout(() => (definition.process as NonNullable<StepDefinition['process']>)(file, this.ctx), file.uid)) === true;
      } catch (err) {
        reason = err instanceof ProcessTimeoutError ? err.message : `exception: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
        log.exception(err instanceof ProcessTimeoutError ? 'process timed out' : 'process() raised an exception', err, { file: file.path, original_basename: file.originalBasename });
      }
    }
    this.current = undefined;
    await this.finish(file, status, reason);
    if (this.metrics.enabled) this.metrics.timer(METRIC.fileTimer, claimMs + performance.now() - started);
  }

  /** MFDATA counts a file once its claim succeeded: one more file, and its size in bytes (from the claim's lstat). */
  private countClaimed(size: number): void {
    if (!this.metrics.enabled) return;
    this.metrics.counter(METRIC.processedFiles, 1);
    this.metrics.counter(METRIC.processedBytes, size);
  }

  private async finish(file: StepFile, status: boolean, reason: string): Promise<void> {
    const log = this.options.log;
    try {
      if (status) {
        try {
          fs.unlinkSync(file.path);
          // Dropped with the next claim's round trip, or at stop (an idle worker leaves them: they expire in a day).
          this.pendingDrops.push(file.path);
        } catch (err) {
          if (errorCode(err) !== 'ENOENT') throw err;
        }
        this.state.journey.leave(file.path, file, this.state.plugin, this.state.step, Date.now(), this.tags.untrack(file.path));
      } else {
        this.tags.untrack(file.path);
        this.metrics.counter(METRIC.processingErrors, 1);
        const outcome = await whileRefused(() => applyFailurePolicy(this.failure, file.path, reason), () => this.stopping,
          (err) => log.warning('Redis refuses writes: the failure policy waits until it accepts them', { file: file.path, error: err.message }));
        log.warning('failure policy applied', { policy: this.options.step.failurePolicy, file: file.path, original_basename: file.originalBasename, reason, final_path: outcome.finalPath });
      }
    } catch (err) {
      // The claim stays in tmp/: it is recovered as an orphan when this worker restarts.
      log.exception('cannot finish the file', err, { file: file.path });
    }
    try {
      await this.options.definition.after?.(status, this.ctx, file);
    } catch (err) {
      log.exception('after() raised an exception', err, { file: file.path });
    }
  }

  /**
   * process_timeout: an async step is abandoned (ProcessTimeoutError) when the time is up; a step that blocks
   * the event loop is killed by the watchdog thread a little later (its claim is then recovered).
   */
  private withTimeout<T>(work: () => T | Promise<T>, uid?: string): Promise<T> {
    const seconds = this.options.step.processTimeout;
    if (!(seconds > 0)) return Promise.resolve().then(work);
    const { plugin, step } = this.options;
    this.watchdog ??= new Watchdog(seconds * 1000 + WATCHDOG_GRACE_MS, {
      name: `mfdata.${plugin.name}.${step.name}`, plugin: plugin.name, step: step.name, culpritFile: this.owners.culpritFile(this.owners.prefix),
    });
    const watchdog = this.watchdog;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new ProcessTimeoutError(seconds)), seconds * 1000); });
    watchdog.arm(uid);
    return Promise.race([Promise.resolve().then(work), timeout]).finally(() => {
      clearTimeout(timer);
      watchdog.disarm();
    });
  }

  /** Batch steps: flush at batch_max_size files or batch_max_wait seconds after the first, and at stop. */
  private async runBatches(): Promise<void> {
    const { step } = this.options;
    const maxSize = Math.max(1, step.batchMaxSize || 100);
    const maxWaitMs = Math.max(0, (step.batchMaxWait ?? 10) * 1000);
    let batch: Claimed[] = [];
    let firstAt = 0;
    for (;;) {
      const due = batch.length >= maxSize || (batch.length > 0 && (this.stopping || Date.now() >= firstAt + maxWaitMs));
      if (due) {
        const files = batch;
        batch = [];
        await this.processBatch(files);
        continue;
      }
      const wait = batch.length === 0 ? 0 : Math.max(0.001, (firstAt + maxWaitMs - Date.now()) / 1000);
      const claimed = await this.nextClaimed(wait);
      if (claimed && (await this.diedWith(claimed))) {
        // It was in a batch when a worker died: it runs alone, so only a file that kills the worker dies again
        // (three times, then its failure policy) and the others of that batch go through.
        if (batch.length > 0) await this.processBatch(batch.splice(0));
        await this.processBatch([claimed]);
      } else if (claimed) {
        if (batch.length === 0) firstAt = Date.now();
        batch.push(claimed);
      } else if (this.stopping && batch.length === 0) {
        return;
      }
    }
  }

  /**
   * Retries turned off (retry_total = 0) while files waited for one in `IN/retry/<plugin>.<step>/`: no reinject step
   * takes them back any more, so the step's worker puts them into its inbox now (their name and tags back), to be
   * processed once more and meet the failure policy if they fail again. Several workers starting at once: each file
   * is taken by one (the move of a file another took fails with ENOENT).
   */
  private async releaseRetries(): Promise<void> {
    const { home, plugin, step, log } = this.options;
    const dir = retryWaitDir(home, plugin.name, step.name);
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch {
      return; // nothing ever waited
    }
    const inbox = this.inbox;
    let released = 0;
    for (const name of names) {
      if (!parseWaitingName(name)) continue;
      const waiting = path.join(dir, name);
      try {
        const original = (await this.tags.get(waiting, ORIGINAL_BASENAME))?.replace(/\//g, '_') || name;
        await fs.promises.mkdir(inbox, { recursive: true });
        const dst = await moveTaggedIntoInbox(this.tags, waiting, path.join(inbox, original));
        await this.redis.lpush(this.queue, encodeMessage(messageFor(inbox, path.basename(dst), 'exists')));
        released++;
      } catch (err) {
        if (errorCode(err) !== 'ENOENT') log.exception('cannot put a file waiting for a retry back into the inbox', err, { file: waiting }, 'warning');
      }
    }
    if (released > 0) log.warning('retries are off for this step (retry_total = 0): the files waiting for a retry were put back into its inbox', { files: released });
  }

  /** Whether a worker died while this file was in process (its crash count, set by recovery). */
  private async diedWith(c: Claimed): Promise<boolean> {
    const { plugin, step } = this.options;
    return Number((await this.tags.get(c.file.path, crashCountTag(plugin.name, step.name))) ?? 0) > 0;
  }

  private async processBatch(claimed: Claimed[]): Promise<void> {
    const { definition, log } = this.options;
    const batchId = this.owners.newUid();
    const started = this.metrics.enabled ? performance.now() : 0;
    for (const c of claimed) this.countClaimed(c.size);
    const files = claimed.map((c) => c.file);
    await Promise.all(files.map((f) => this.ctx.setTag(f, 'batch_id', batchId)));
    let results: boolean[] = files.map(() => false);
    let reason = 'batchProcess() returned false';
    // A death during the batch (exit, kill, watchdog) is blamed on its files only, not on files claimed ahead.
    this.owners.recordCulprit(files.map((f) => f.uid));
    try {
      const r = await this.withTimeout(() => (definition.batchProcess as NonNullable<StepDefinition['batchProcess']>)(files, this.ctx));
      results = Array.isArray(r) ? files.map((_, i) => r[i] === true) : files.map(() => r === true);
    } catch (err) {
      reason = err instanceof ProcessTimeoutError ? err.message : `exception: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
      log.exception('batchProcess() raised an exception', err, { batch_id: batchId, files: files.length });
    } finally {
      this.owners.clearCulprit();
    }
    for (let i = 0; i < files.length; i++) await this.finish(files[i], results[i], reason);
    if (this.metrics.enabled) {
      this.metrics.counter(METRIC.processedBatches, 1);
      if (results.some((ok) => !ok)) this.metrics.counter(METRIC.batchErrors, 1);
      this.metrics.timer(METRIC.batchTimer, performance.now() - started);
    }
  }
}
