// The InfluxDB sink: points aggregated per flush interval, line protocol POSTed in batches to the v1 `/write` URL,
// kept in a bounded buffer and retried while InfluxDB is unreachable.
import * as http from 'node:http';
import * as https from 'node:https';
import { Aggregator } from './aggregate';
import { epochNs, type MetricKind, type Tags } from './format';
import { LineBuffer } from './line-buffer';
import type { MetricsSink, MetricsWarn } from './sink';

export interface InfluxSinkOptions {
  /** Full write URL, e.g. `http://influxdb:8086/write?db=metrics` (credentials as `u`/`p` query parameters). */
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
}

/** Statuses after which resending the same lines cannot succeed: the batch is dropped with a warning. */
const DROP_STATUSES = new Set([400, 413, 422]);

export class InfluxSink implements MetricsSink {
  private readonly aggregator = new Aggregator();
  private readonly buffer: LineBuffer;
  private readonly url: URL;
  private readonly timer: NodeJS.Timeout;
  private inFlight: Promise<void> | undefined;
  private failing = false;
  private closed = false;

  constructor(private readonly options: InfluxSinkOptions) {
    this.url = new URL(options.url);
    this.buffer = new LineBuffer(options.bufferSize);
    this.timer = setInterval(() => this.flush(), Math.max(10, options.flushIntervalMs));
    // Metrics never keep a stopping worker alive.
    this.timer.unref();
  }

  record(kind: MetricKind, name: string, tags: Tags, value: number): void {
    if (!this.closed) this.aggregator.add(kind, name, tags, value);
  }

  /** Moves the interval's points into the buffer and starts a send unless one is running (its retry is this tick). */
  flush(): Promise<void> {
    if (this.aggregator.size > 0) {
      const dropped = this.buffer.push(this.aggregator.drain(epochNs((this.options.now ?? Date.now)())));
      if (dropped > 0) {
        this.options.warn('metrics buffer full: dropped the oldest points (InfluxDB not accepting them)', {
          dropped, dropped_total: this.buffer.droppedTotal, buffer_size: this.buffer.capacity, url: this.safeUrl(),
        });
      }
    }
    if (!this.inFlight && this.buffer.length > 0) {
      this.inFlight = this.sendBatch().finally(() => { this.inFlight = undefined; });
    }
    return this.inFlight ?? Promise.resolve();
  }

  async close(timeoutMs = 2000): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    // Last points, then as many batches as fit in the time left; what is left is lost (said in the log).
    await this.flush();
    this.closed = true;
    while (this.buffer.length > 0 && !this.failing && Date.now() < deadline) await this.flush();
    if (this.buffer.length > 0) this.options.warn('metrics not sent at stop: InfluxDB did not take them in time', { lines: this.buffer.length, url: this.safeUrl() });
  }

  /** Buffered lines and lines dropped so far (for tests and the bench). */
  stats(): { buffered: number; dropped: number } {
    return { buffered: this.buffer.length, dropped: this.buffer.droppedTotal };
  }

  private async sendBatch(): Promise<void> {
    const lines = this.buffer.peek(this.options.batchSize ?? 5000);
    const droppedBefore = this.buffer.droppedTotal;
    let status: number;
    try {
      status = await this.post(lines.join('\n') + '\n');
    } catch (err) {
      this.noteFailure(`${(err as Error).message}`);
      return;
    }
    if (status >= 200 && status < 300) {
      this.buffer.remove(lines.length, this.buffer.droppedTotal - droppedBefore);
      if (this.failing) this.options.warn('metrics: InfluxDB accepts points again', { url: this.safeUrl(), buffered: this.buffer.length });
      this.failing = false;
    } else if (DROP_STATUSES.has(status)) {
      this.buffer.remove(lines.length, this.buffer.droppedTotal - droppedBefore);
      this.options.warn('metrics: InfluxDB rejected a batch; dropped (resending cannot succeed)', { status, lines: lines.length, url: this.safeUrl() });
    } else {
      this.noteFailure(`HTTP ${status}`);
    }
  }

  /** One warning per outage, not one per retry. */
  private noteFailure(reason: string): void {
    if (!this.failing) this.options.warn('metrics: InfluxDB write failed; retrying at each flush', { reason, url: this.safeUrl(), buffered: this.buffer.length });
    this.failing = true;
  }

  private post(body: string): Promise<number> {
    const lib = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(this.url, {
        method: 'POST', timeout: this.options.requestTimeoutMs ?? 5000,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('InfluxDB write timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** The URL without its credentials, for log records. */
  private safeUrl(): string {
    const u = new URL(this.url.href);
    u.username = '';
    u.password = '';
    if (u.searchParams.has('p')) u.searchParams.set('p', '***');
    return u.href;
  }
}
