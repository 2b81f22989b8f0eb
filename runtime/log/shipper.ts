// The log shipper: follows every file of <home>/log and sends its mflog records to Elasticsearch with `_bulk`,
// in batches (by count, size and time), from a bounded backlog, retrying until acknowledged, with positions
// persisted after each acknowledged batch so a restart neither loses nor repeats lines.
import * as os from 'node:os';
import * as path from 'node:path';
import { LogDirFollower } from './dir-follower';
import type { FollowPosition, LogLine } from './follow';
import { backoffMs, bulkBody, docId, indexFor, itemResults, type BulkDoc } from './bulk-request';
import { loadOffsets, saveOffsets } from './shipper-offsets';
import type { Logger } from './mflog';

export interface ShipperOptions {
  logDir: string;
  /** Elasticsearch base URL (`http://host:9200`); `_bulk` is appended. */
  url: string;
  offsetsFile: string;
  log: Logger;
  /** Live log files not to ship (by base name): the shipper's own log, to avoid feeding on itself. */
  exclude?: (name: string) => boolean;
  maxDocs?: number;
  maxBytes?: number;
  /** Send what is there after this long even when the batch is not full. */
  flushMs?: number;
  /** Lines held in memory at most; reading stops while the backlog is full. */
  maxBacklog?: number;
  pollMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  requestTimeoutMs?: number;
  /** Extra fields added to every document (hostname, module). */
  extraFields?: Record<string, string>;
}

interface Pending {
  line: LogLine;
  /** Undefined for a line that is not an mflog record: skipped, but its position still advances. */
  doc?: BulkDoc;
  bytes: number;
}

/** A `_bulk` request failed as a whole (connection refused, timeout, HTTP error). */
export class BulkRequestError extends Error {
  constructor(readonly url: string, readonly status: number, detail: string) {
    super(`POST ${url}: ${detail}`);
    this.name = 'BulkRequestError';
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/** `<base>/_bulk`, with credentials written in the URL moved to a Basic Authorization header (fetch refuses them in URLs). */
export function bulkEndpoint(base: string): { url: string; authorization?: string } {
  const u = new URL(base);
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  const url = `${u.toString().replace(/\/+$/, '')}/_bulk`;
  return user || password ? { url, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } : { url };
}

export class LogShipper {
  private readonly o: Required<Omit<ShipperOptions, 'exclude'>> & Pick<ShipperOptions, 'exclude'>;
  private readonly follower: LogDirFollower;
  private readonly acked: Record<string, FollowPosition>;
  private readonly backlog: Pending[] = [];
  private backlogSince = 0;
  private readonly stopping = new AbortController();
  /** Counters for status and tests. */
  readonly stats = { shipped: 0, skipped: 0, rejected: 0, retries: 0, batches: 0 };

  constructor(options: ShipperOptions) {
    this.o = {
      maxDocs: 5000, maxBytes: 5 * 1024 * 1024, flushMs: 1000, maxBacklog: 20000, pollMs: 100,
      retryBaseMs: 200, retryMaxMs: 30_000, requestTimeoutMs: 30_000,
      extraFields: { hostname: os.hostname(), module: 'mfdata' },
      ...options,
    };
    this.acked = loadOffsets(this.o.offsetsFile);
    this.follower = new LogDirFollower(this.o.logDir, { start: 'history', positions: { ...this.acked }, exclude: this.o.exclude });
  }

  /** Runs until stop(): read, batch, send, persist. Resolves once the last acknowledged positions are saved. */
  async run(): Promise<void> {
    const signal = this.stopping.signal;
    this.o.log.info('log shipper started', { url: this.o.url, log_dir: this.o.logDir });
    while (!signal.aborted) {
      this.fill();
      if (this.batchDue()) {
        await this.sendBatch(this.takeBatch(), signal);
        continue;
      }
      await sleep(this.o.pollMs, signal);
    }
    this.follower.close();
    this.o.log.info('log shipper stopped', { shipped: this.stats.shipped });
  }

  stop(): void {
    this.stopping.abort();
  }

  /** Lines read but not yet acknowledged (bounded by maxBacklog plus the batch in flight). */
  get backlogLength(): number {
    return this.backlog.length;
  }

  private fill(): void {
    const room = this.o.maxBacklog - this.backlog.length;
    if (room <= 0) return;
    const now = Date.now();
    for (const line of this.follower.readUpTo(room)) {
      if (this.backlog.length === 0) this.backlogSince = now;
      this.backlog.push(this.toPending(line, now));
    }
  }

  private toPending(line: LogLine, now: number): Pending {
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch {
      value = undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      if (line.text.trim() !== '') {
        this.stats.skipped++;
        this.o.log.warning('skipped a log line that is not a JSON object', { log_file: line.source, offset: line.offset, line: line.text.slice(0, 1000) });
      }
      return { line, bytes: 0 };
    }
    const record = value as Record<string, unknown>;
    const source = { '@timestamp': record.timestamp, ...record, ...this.o.extraFields, log_file: path.basename(line.file) };
    const doc: BulkDoc = { id: docId(line.file, line.head, line.offset), index: indexFor(record.timestamp, now), source };
    return { line, doc, bytes: line.text.length + 120 };
  }

  private batchDue(): boolean {
    if (this.backlog.length === 0) return false;
    if (this.backlog.length >= this.o.maxDocs || this.backlog.length >= this.o.maxBacklog) return true;
    let bytes = 0;
    for (const p of this.backlog) if ((bytes += p.bytes) >= this.o.maxBytes) return true;
    return Date.now() - this.backlogSince >= this.o.flushMs;
  }

  private takeBatch(): Pending[] {
    let bytes = 0;
    let n = 0;
    while (n < this.backlog.length && n < this.o.maxDocs && (n === 0 || bytes + this.backlog[n].bytes <= this.o.maxBytes)) bytes += this.backlog[n++].bytes;
    const batch = this.backlog.splice(0, n);
    this.backlogSince = Date.now();
    return batch;
  }

  /** Sends until every doc is indexed (or rejected for good); only then advances and saves the positions. */
  private async sendBatch(batch: Pending[], signal: AbortSignal): Promise<void> {
    let todo = batch.filter((p) => p.doc);
    for (let attempt = 0; todo.length > 0; attempt++) {
      if (attempt > 0) {
        this.stats.retries++;
        await sleep(backoffMs(attempt - 1, this.o.retryBaseMs, this.o.retryMaxMs), signal);
        // Stopping mid-retry: nothing is acknowledged, so the positions stay where they were and the lines are read again.
        if (signal.aborted) return;
      }
      let response: unknown;
      try {
        response = await this.post(todo.map((p) => p.doc as BulkDoc));
      } catch (err) {
        const e = err as BulkRequestError;
        this.o.log.warning('bulk request failed, will retry', { url: this.o.url, status: e.status ?? 0, error: e.message, docs: todo.length, attempt });
        continue;
      }
      const results = itemResults(response, todo.length);
      const retry: Pending[] = [];
      results.forEach((r, i) => {
        if (r.outcome === 'done') this.stats.shipped++;
        else if (r.outcome === 'retry') retry.push(todo[i]);
        else {
          this.stats.rejected++;
          this.o.log.error('elasticsearch rejected a log line', { status: r.status, reason: r.reason ?? '', log_file: todo[i].line.source, offset: todo[i].line.offset, line: todo[i].line.text.slice(0, 1000) });
        }
      });
      if (retry.length > 0) this.o.log.warning('some log lines were not indexed, will retry', { docs: retry.length, status: results.find((r) => r.outcome === 'retry')?.status ?? 0, attempt });
      todo = retry;
    }
    this.stats.batches++;
    for (const p of batch) this.acked[p.line.file] = { file: p.line.file, inode: p.line.inode, head: p.line.head, offset: p.line.end };
    saveOffsets(this.o.offsetsFile, this.acked);
  }

  private async post(docs: BulkDoc[]): Promise<unknown> {
    const { url, authorization } = bulkEndpoint(this.o.url);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', ...(authorization ? { authorization } : {}) },
        body: bulkBody(docs),
        signal: AbortSignal.timeout(this.o.requestTimeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new BulkRequestError(url, 0, cause?.code ?? cause?.message ?? (err as Error).message);
    }
    const text = await res.text();
    if (res.status === 413 && docs.length > 1) {
      // Too large for the server: send the two halves on their own.
      const half = Math.ceil(docs.length / 2);
      const a = (await this.post(docs.slice(0, half))) as { items?: unknown[] };
      const b = (await this.post(docs.slice(half))) as { items?: unknown[] };
      return { errors: true, items: [...(a.items ?? []), ...(b.items ?? [])] };
    }
    if (res.status < 200 || res.status >= 300) throw new BulkRequestError(url, res.status, `HTTP ${res.status} ${text.slice(0, 300)}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new BulkRequestError(url, res.status, `response is not JSON: ${text.slice(0, 300)}`);
    }
  }
}
