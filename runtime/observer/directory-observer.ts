// The directory observer: announces every new file of every watched directory on its section's queue (MFDATA semantics),
// with a start-up rescan, forced_poll rescans, a rescan after any lost events (overflow, Redis back, watcher restart).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../log/mflog';
import { QueueProducer } from '../queue/producer';
import { messageFor } from '../queue/message';
import type { RedisAddress } from '../queue/connection';
import type { EventSource, SourceHandlers } from './event-source';
import { FsWatchSource } from './fswatch-source';
import { InotifySource } from './inotify-source';
import { CatchUp } from './catch-up';
import type { WatchSection } from './observer-config';
import { rescanDirectory } from './rescan';
import { renameUndecodable } from './undecodable-names';
import { stamp, stampsOn } from '../util/latency-stamps';

export interface ObserverOptions {
  sections: WatchSection[];
  redis: RedisAddress;
  log: Logger;
  /** Force the fs.watch fallback (tests; machines without inotify-tools). */
  watcher?: 'inotifywait' | 'fs.watch';
  /** Seconds between rescans when running on the fs.watch fallback (default 30). */
  fallbackRescanSeconds?: number;
}

/** Seconds between existence checks of a directory that went away (only while one is missing). */
const MISSING_DIRECTORY_CHECK_MS = 1000;

/** Rescans that follow a loss of events: when one stops at poll_queue_limit, a catch-up announces the rest (catch-up.ts). */
const RECOVERY_REASONS = new Set(['startup', 'overflow', 'redis-reconnect', 'watcher-restart', 'push-failed']);

/**
 * Delay before rescanning a section whose push or recovery rescan Redis refused while connected (a full disk:
 * `MISCONF Errors writing to the AOF file`). No reconnection follows such a refusal, so nothing else would
 * announce those files before the next forced_poll (300 s).
 */
const RETRY_RESCAN_MS = 1000;

/** Per section: the rescan running (rescans of a section never overlap), the reason of one asked for meanwhile, the catch-up. */
interface SectionState {
  running?: Promise<void>;
  again?: string;
  catchUp?: CatchUp;
  /** A rescan planned after a refused push or a failed recovery rescan. */
  retry?: NodeJS.Timeout;
}

export class DirectoryObserver {
  private readonly producer: QueueProducer;
  private readonly byDirectory = new Map<string, WatchSection[]>();
  private readonly missing = new Set<string>();
  private source: EventSource | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private missingTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;
  private stopped = false;
  private readyCount = 0;
  /** Sub-directories already warned about (once per observer process). */
  private readonly warnedDirectories = new Set<string>();
  private pushed = 0;
  private readonly states = new Map<WatchSection, SectionState>();

  constructor(private readonly options: ObserverOptions) {
    this.producer = new QueueProducer(options.redis, `mfdata:directory_observer:${process.pid}`, (err) => {
      options.log.warning('Redis unavailable: events wait in memory and every directory is rescanned when it is back', { error: err.message });
    });
    for (const s of options.sections) {
      const list = this.byDirectory.get(s.directory) ?? [];
      list.push(s);
      this.byDirectory.set(s.directory, list);
    }
    // Every reconnection after the first: Redis may have lost queued messages (restart without persistence).
    this.producer.redis.on('ready', () => {
      if (++this.readyCount > 1 && !this.stopped) {
        options.log.warning('Redis is back: rescanning every directory');
        void this.rescanAll('redis-reconnect');
      }
    });
  }

  get pushedCount(): number {
    return this.pushed;
  }

  async start(): Promise<void> {
    // Like MFDATA's before-start hook: every watched directory exists before the watch starts.
    for (const dir of this.byDirectory.keys()) {
      try {
        fs.mkdirSync(dir, { recursive: true });
      } catch (err) {
        this.options.log.exception('cannot create a watched directory; waiting for it to appear', err, { directory: dir }, 'warning');
      }
    }
    await this.startSource();
    await this.rescanAll('startup');
    for (const s of this.options.sections) {
      if (s.forcedPoll > 0) this.timers.push(setInterval(() => void this.rescanSection(s, 'forced_poll'), s.forcedPoll * 1000));
    }
    if (this.source?.kind === 'fs.watch') {
      const every = (this.options.fallbackRescanSeconds ?? 30) * 1000;
      this.timers.push(setInterval(() => void this.rescanAll('fallback-poll'), every));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    for (const st of this.states.values()) {
      st.catchUp?.stop();
      if (st.retry) clearTimeout(st.retry);
    }
    if (this.missingTimer) clearInterval(this.missingTimer);
    await this.source?.stop();
    await this.producer.close();
  }

  private handlers(): SourceHandlers {
    return {
      onFile: (dir, name) => this.announce(dir, name),
      onSubdirectory: (dir, name) => this.warnSubdirectory(dir, name),
      // Renamed through link(2) + unlink, which no watched event reports: announced here.
      onUndecodable: (dir, raw) => {
        const name = this.renameUndecodable(dir, raw);
        if (name !== undefined) this.announce(dir, name);
      },
      onOverflow: () => {
        this.options.log.warning('inotify event queue overflow: rescanning every directory');
        void this.rescanAll('overflow');
      },
      onDirectoryGone: (dir) => this.directoryGone(dir),
      onSourceLost: (reason) => {
        if (this.stopped) return;
        this.options.log.warning('file watcher lost; restarting it', { reason });
        void this.restartSource();
      },
    };
  }

  private async startSource(): Promise<void> {
    const present = [...this.byDirectory.keys()].filter((d) => {
      const ok = isDirectory(d);
      if (!ok) this.markMissing(d);
      return ok;
    });
    if (present.length === 0) {
      this.source = undefined;
      return;
    }
    if (this.options.watcher !== 'fs.watch') {
      const inotify = new InotifySource(this.handlers());
      try {
        await inotify.start(present);
        this.source = inotify;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        this.options.log.warning('inotifywait not found (install inotify-tools): falling back to fs.watch plus a periodic rescan, which is slower and can miss events between rescans');
      }
    }
    const fallback = new FsWatchSource(this.handlers());
    await fallback.start(present);
    this.source = fallback;
  }

  /** Restarts the watcher on every present directory, then rescans (events of the gap are recovered). */
  private restartSource(): Promise<void> {
    this.restarting ??= (async () => {
      try {
        await this.source?.stop();
        await this.startSource();
        await this.rescanAll('watcher-restart');
      } catch (err) {
        this.options.log.exception('cannot restart the file watcher; retrying in 1 s', err);
        setTimeout(() => void this.restartSource(), 1000).unref();
      } finally {
        this.restarting = undefined;
      }
    })();
    return this.restarting;
  }

  private announce(dir: string, name: string): void {
    const sections = this.byDirectory.get(dir);
    if (!sections) return;
    const now = Date.now();
    if (stampsOn) stamp('o_event', name);
    for (const s of sections) {
      if (!s.filter(name)) continue;
      this.pushed++;
      const catchUp = this.states.get(s)?.catchUp;
      if (catchUp?.active) catchUp.announced.add(name);
      this.producer.push(s.queue, messageFor(dir, name, 'created', now)).catch((err: unknown) => {
        this.options.log.exception('cannot push an event; a rescan in a second recovers it', err, { directory: dir, filename: name }, 'warning');
        this.rescanSoon(s, 'push-failed');
      });
    }
  }

  /** A name that is not UTF-8 cannot travel in a message: the file is renamed (undecodable bytes as %XX) and announced under that name. */
  private renameUndecodable(dir: string, raw: Buffer): string | undefined {
    if (!this.byDirectory.has(dir)) return undefined;
    try {
      const name = renameUndecodable(dir, raw);
      if (name !== undefined) this.options.log.warning('a file name that is not valid UTF-8 was renamed (each undecodable byte as %XX)', { directory: dir, filename: name, original_bytes: raw.toString('hex') });
      return name;
    } catch (err) {
      this.options.log.exception('cannot rename a file whose name is not valid UTF-8', err, { directory: dir, original_bytes: raw.toString('hex') }, 'warning');
      return undefined;
    }
  }

  private warnSubdirectory(dir: string, name: string): void {
    const full = path.join(dir, name);
    if (this.warnedDirectories.has(full) || !this.byDirectory.get(dir)?.some((s) => s.filter(name))) return;
    this.warnedDirectories.add(full);
    this.options.log.warning('a directory in a watched directory is not processed (only files are): move it away', { directory: dir, filename: name });
  }

  private directoryGone(dir: string): void {
    if (this.stopped || !this.byDirectory.has(dir)) return;
    this.options.log.warning('watched directory disappeared; watching for it to come back', { directory: dir });
    this.markMissing(dir);
  }

  private markMissing(dir: string): void {
    this.missing.add(dir);
    this.missingTimer ??= setInterval(() => {
      const back = [...this.missing].filter(isDirectory);
      if (back.length === 0) return;
      for (const d of back) this.missing.delete(d);
      if (this.missing.size === 0 && this.missingTimer) {
        clearInterval(this.missingTimer);
        this.missingTimer = undefined;
      }
      this.options.log.info('watched directory is back', { directories: back.join(', ') });
      void this.restartSource();
    }, MISSING_DIRECTORY_CHECK_MS);
  }

  async rescanAll(why: string): Promise<void> {
    await Promise.all(this.options.sections.map((s) => this.rescanSection(s, why)));
  }

  /**
   * Rescans of one section never overlap: one asked for while another runs is run once after it (a burst of
   * overflows costs two listings, not one per overflow), a recovery reason winning over a periodic one.
   */
  private rescanSection(s: WatchSection, why: string): Promise<void> {
    const st = this.stateOf(s);
    if (st.running) {
      if (st.again === undefined || !RECOVERY_REASONS.has(st.again)) st.again = why;
      return st.running;
    }
    st.running = (async () => {
      try {
        await this.rescanOnce(s, why);
        while (st.again !== undefined && !this.stopped) {
          const next = st.again;
          st.again = undefined;
          await this.rescanOnce(s, next);
        }
      } finally {
        st.running = undefined;
      }
    })();
    return st.running;
  }

  private stateOf(s: WatchSection): SectionState {
    let st = this.states.get(s);
    if (!st) {
      st = {};
      if (s.pollQueueLimit > 0) {
        st.catchUp = new CatchUp(s.pollQueueLimit, {
          queueLength: () => this.producer.length(s.queue),
          rescan: () => this.rescanSection(s, 'catch-up'),
        });
      }
      this.states.set(s, st);
    }
    return st;
  }

  private async rescanOnce(s: WatchSection, why: string): Promise<void> {
    if (this.stopped) return;
    const catchUp = this.stateOf(s).catchUp;
    // The catch-up rescans this section already, skipping what it announced: a forced poll would only push duplicates.
    if (why === 'forced_poll' && catchUp?.active) return;
    // A new loss: messages announced before it may be gone too (Redis restarted), so the catch-up starts over.
    if (RECOVERY_REASONS.has(why)) catchUp?.stop();
    const continued = catchUp !== undefined && (RECOVERY_REASONS.has(why) || why === 'catch-up');
    const skip = continued ? catchUp.announced : undefined;
    try {
      const r = await rescanDirectory(s, {
        queueLength: (q) => this.producer.length(q),
        push: (q, dir, file) => {
          this.pushed++;
          skip?.add(file);
          return this.producer.push(q, messageFor(dir, file, 'exists'));
        },
        skippedDirectory: (dir, name) => this.warnSubdirectory(dir, name),
        renameUndecodable: (dir, raw) => this.renameUndecodable(dir, raw),
      }, skip);
      if (r.pushed > 0) this.options.log.info('rescan pushed files', { reason: why, directory: s.directory, queue: s.queue, files: r.pushed, left: r.left });
      if (!continued) return;
      if (r.left > 0) {
        if (!catchUp.active) {
          this.options.log.info('rescan stopped at poll_queue_limit: rescanning again each time the queue drains to half of it', {
            reason: why, directory: s.directory, queue: s.queue, poll_queue_limit: s.pollQueueLimit, left: r.left,
          });
        }
        catchUp.start();
      } else if (catchUp.active) {
        this.options.log.info('caught up: every file of the directory was announced', { directory: s.directory, queue: s.queue });
        catchUp.stop();
      }
    } catch (err) {
      this.options.log.exception('rescan failed', err, { reason: why, directory: s.directory });
      // A catch-up retries by itself; a failed recovery rescan must be tried again, or its files wait for forced_poll.
      if (RECOVERY_REASONS.has(why)) this.rescanSoon(s, why);
    }
  }

  /** One rescan of `s` in RETRY_RESCAN_MS, however many failures ask for it meanwhile. */
  private rescanSoon(s: WatchSection, why: string): void {
    const st = this.stateOf(s);
    if (this.stopped || st.retry) return;
    st.retry = setTimeout(() => {
      st.retry = undefined;
      void this.rescanSection(s, why);
    }, RETRY_RESCAN_MS);
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
