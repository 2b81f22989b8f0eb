// Feeds the log panel and the output channel: follows every file of <home>/log (through runtime/log's follow
// reader, read-only, in the extension host) and hands over new entries, merged by timestamp per read.
import * as fs from 'node:fs';
import { LogDirFollower } from '../../runtime/log/dir-follower';
import { decodeBatches, mergeByTimestamp, type EntryDecoder, type LogEntry } from '../../runtime/log/entry';

export interface LogSourceOptions {
  logDir: string;
  /** Recent history read per file at start (the panel shows it; the output channel does not). */
  tailBytes?: number;
  /** Backstop poll; file-system events wake the source sooner. */
  pollMs?: number;
  /** Lines read per wake-up at most, so a huge backlog is taken in slices without blocking the host. */
  maxLinesPerRead?: number;
  onEntries(entries: LogEntry[], initial: boolean): void;
}

export class LogSource {
  private readonly follower: LogDirFollower;
  private readonly decoders = new Map<string, EntryDecoder>();
  private timer: NodeJS.Timeout | undefined;
  private watcher: fs.FSWatcher | undefined;
  private scheduled = false;
  private initial = true;
  private disposed = false;

  constructor(private readonly options: LogSourceOptions) {
    this.follower = new LogDirFollower(options.logDir, { start: { tailBytes: options.tailBytes ?? 4 * 1024 * 1024 } });
  }

  start(): void {
    this.read();
    this.timer = setInterval(() => this.read(), this.options.pollMs ?? 500);
  }

  /** Reads now (also what file-system events trigger, coalesced). */
  read(): void {
    this.scheduled = false;
    if (this.disposed) return;
    this.watch();
    const max = this.options.maxLinesPerRead ?? 50_000;
    const batches = this.follower.read(max);
    const entries = mergeByTimestamp(decodeBatches(this.decoders, batches));
    const more = batches.some((b) => b.length >= max);
    if (entries.length > 0 || this.initial) this.options.onEntries(entries, this.initial);
    this.initial = false;
    // A slice was full: continue soon, letting the host breathe in between.
    if (more) this.wake();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    this.watcher?.close();
    this.follower.close();
  }

  private wake(): void {
    if (this.scheduled || this.disposed) return;
    this.scheduled = true;
    setImmediate(() => this.read());
  }

  private watch(): void {
    if (this.watcher) return;
    try {
      // inotify on the directory reports appends to its files too: a record shows up without waiting for the poll.
      this.watcher = fs.watch(this.options.logDir, { persistent: false }, () => this.wake());
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      // No log directory yet (the runtime never ran): the poll retries.
    }
  }
}
