// The InfluxDB sink: points aggregated per flush interval, line protocol POSTed in batches to the v1 `/write` or the
// v2 `/api/v2/write` URL, kept in a bounded buffer and retried while InfluxDB is unreachable.
import type * as http from 'node:http';
import { lazyBuiltins } from '../util/lazy-builtins';
import { Aggregator } from './aggregate';
import { lineProtocol, seriesKey, type FieldValue, type MetricKind, type Tags } from './format';
import { influxTarget, safeInfluxUrl, timestampIn, type InfluxTarget, type InfluxTargetSettings } from './influx-target';
import { LineBuffer } from './line-buffer';
import type { MetricsSink, MetricsWarn } from './sink';

export interface InfluxSinkOptions extends Partial<Omit<InfluxTargetSettings, 'url'>> {
  /**
   * v1 (the default): the full write URL, e.g. `http://influxdb:8086/write?db=metrics` (credentials as `u`/`p`
   * query parameters); v2: the server URL, with org, bucket and token.
   */
  url: string;
  flushIntervalMs: number;
  /** Lines kept while InfluxDB does not accept them; beyond, the oldest are dropped (and counted). */
  bufferSize: number;
  /** Lines per POST (InfluxDB advises 5000). */
  batchSize?: number;
  requestTimeoutMs?: number;
  warn: MetricsWarn;
  /** Epoch milliseconds for the points' timestamps (tests pin it). */
  now?: () => number;
  /** Sub-millisecond digits of the timestamps (default: this process's pid), so workers of one step never overwrite each other's points. */
  timestampSalt?: number;
}

/** Statuses after which resending the same lines cannot succeed: the batch is dropped with a warning. */
const DROP_STATUSES = new Set([400, 413, 422]);
/** Statuses whose Retry-After header is honoured (InfluxDB 2 and Cloud answer 429/503 when over a limit). */
const RETRY_AFTER_STATUSES = new Set([429, 503]);
/** The longest Retry-After we wait; a longer one would only fill the buffer. */
const RETRY_AFTER_MAX_MS = 300_000;

interface Answer { status: number; body: string; retryAfterMs?: number }

export class InfluxSink implements MetricsSink {
  private readonly aggregator = new Aggregator();
  private readonly buffer: LineBuffer;
  private readonly target: InfluxTarget;
  private readonly timer: NodeJS.Timeout;
  /** Whole points (collectors) waiting for the next flush, already as line protocol. */
  private points: string[] = [];
  private inFlight: Promise<void> | undefined;
  /** The write in flight, destroyed at close when it outlives the stop deadline. */
  private request: http.ClientRequest | undefined;
  private failing = false;
  /** No send before this time (epoch ms): a 429/503 asked us to wait. */
  private retryNotBefore = 0;
  private closed = false;

  constructor(private readonly options: InfluxSinkOptions) {
    this.target = influxTarget({
      url: options.url, api: options.api ?? 'v1', org: options.org ?? '', bucket: options.bucket ?? '', token: options.token ?? '', precision: options.precision ?? 'ns',
    });
    this.buffer = new LineBuffer(options.bufferSize);
    this.timer = setInterval(() => this.flush(), Math.max(10, options.flushIntervalMs));
    // Metrics never keep a stopping worker alive.
    this.timer.unref();
  }

  record(kind: MetricKind, name: string, tags: Tags, value: number): void {
    if (!this.closed) this.aggregator.add(kind, name, tags, value);
  }

  point(measurement: string, tags: Tags, fields: ReadonlyArray<readonly [string, FieldValue]>): void {
    if (this.closed || fields.length === 0) return;
    this.points.push(lineProtocol(seriesKey(measurement, tags), fields, this.timestamp()));
    // Bounded even if flushes never come: the buffer's own bound applies at the next flush anyway.
    if (this.points.length > this.buffer.capacity) this.points.splice(0, this.points.length - this.buffer.capacity);
  }

  /** Moves the interval's points into the buffer and starts a send unless one is running (its retry is this tick). */
  flush(): Promise<void> {
    if (this.aggregator.size > 0 || this.points.length > 0) {
      const lines = this.aggregator.size > 0 ? this.aggregator.drain(this.timestamp()) : [];
      if (this.points.length > 0) {
        lines.push(...this.points);
        this.points = [];
      }
      const dropped = this.buffer.push(lines);
      if (dropped > 0) {
        this.options.warn('metrics buffer full: dropped the oldest points (InfluxDB not accepting them)', {
          dropped, dropped_total: this.buffer.droppedTotal, buffer_size: this.buffer.capacity, url: this.safeUrl(),
        });
      }
    }
    if (!this.inFlight && this.buffer.length > 0 && Date.now() >= this.retryNotBefore) {
      this.inFlight = this.sendBatch().finally(() => { this.inFlight = undefined; });
    }
    return this.inFlight ?? Promise.resolve();
  }

  async close(timeoutMs = 2000): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    // A write that never answers (a blackholed InfluxDB) must not hold the stop beyond the deadline.
    const withinDeadline = (p: Promise<void>): Promise<void> => new Promise((resolve) => {
      const t = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      void p.finally(() => { clearTimeout(t); resolve(); });
    });
    // Last points, then as many batches as fit in the time left; what is left is lost (said in the log).
    await withinDeadline(this.flush());
    this.closed = true;
    while (this.buffer.length > 0 && !this.failing && Date.now() < deadline && Date.now() >= this.retryNotBefore) await withinDeadline(this.flush());
    this.request?.destroy();
    if (this.buffer.length > 0) this.options.warn('metrics not sent at stop: InfluxDB did not take them in time', { lines: this.buffer.length, url: this.safeUrl() });
  }

  /** Buffered lines and lines dropped so far (for tests and the bench). */
  stats(): { buffered: number; dropped: number } {
    return { buffered: this.buffer.length, dropped: this.buffer.droppedTotal };
  }

  private async sendBatch(): Promise<void> {
    const lines = this.buffer.peek(this.options.batchSize ?? 5000);
    const droppedBefore = this.buffer.droppedTotal;
    let answer: Answer;
    try {
      answer = await this.post(lines.join('\n') + '\n');
    } catch (err) {
      this.noteFailure(`${(err as Error).message}`);
      return;
    }
    const { status } = answer;
    if (status >= 200 && status < 300) {
      this.buffer.remove(lines.length, this.buffer.droppedTotal - droppedBefore);
      if (this.failing) this.options.warn('metrics: InfluxDB accepts points again', { url: this.safeUrl(), buffered: this.buffer.length });
      this.failing = false;
    } else if (DROP_STATUSES.has(status)) {
      this.buffer.remove(lines.length, this.buffer.droppedTotal - droppedBefore);
      this.options.warn('metrics: InfluxDB rejected a batch; dropped (resending cannot succeed)', { status, lines: lines.length, url: this.safeUrl(), answer: answer.body });
    } else {
      if (RETRY_AFTER_STATUSES.has(status) && answer.retryAfterMs !== undefined) this.retryNotBefore = Date.now() + Math.min(answer.retryAfterMs, RETRY_AFTER_MAX_MS);
      // 401/403/404 name a wrong token, org or bucket: the answer's text says which.
      this.noteFailure(`HTTP ${status}${answer.body ? `: ${answer.body}` : ''}`);
    }
  }

  /** One warning per outage, not one per retry. */
  private noteFailure(reason: string): void {
    if (!this.failing) this.options.warn('metrics: InfluxDB write failed; retrying at each flush', { reason, url: this.safeUrl(), buffered: this.buffer.length });
    this.failing = true;
  }

  private post(body: string): Promise<Answer> {
    const lib: Pick<typeof http, 'request'> = this.target.url.protocol === 'https:' ? lazyBuiltins.https() : lazyBuiltins.http();
    return new Promise((resolve, reject) => {
      const req = lib.request(this.target.url, {
        method: 'POST', timeout: this.options.requestTimeoutMs ?? 5000,
        headers: { ...this.target.headers, 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        const status = res.statusCode ?? 0;
        let text = '';
        // Only an error's first bytes are kept (for the warning); a success's body is drained unread.
        res.on('data', (d: Buffer) => { if (status >= 300 && text.length < 300) text += d.toString(); });
        res.on('end', () => resolve({ status, body: text.trim().slice(0, 300), retryAfterMs: retryAfterMs(res.headers['retry-after']) }));
        res.on('error', reject);
      });
      this.request = req;
      req.on('timeout', () => req.destroy(new Error('InfluxDB write timed out')));
      req.on('error', reject);
      req.on('close', () => { if (this.request === req) this.request = undefined; });
      req.end(body);
    });
  }

  private timestamp(): string {
    return timestampIn((this.options.now ?? Date.now)(), this.target.precision, this.options.timestampSalt ?? process.pid);
  }

  private safeUrl(): string {
    return safeInfluxUrl(this.target.url);
  }
}

/** Retry-After in seconds (or an HTTP date), as milliseconds. */
function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
