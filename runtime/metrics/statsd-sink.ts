// The statsd sink: MFDATA's statsd lines over UDP to Telegraf, the lines of one event-loop turn in one datagram
// (newline-separated, as statsd servers read them). Fire and forget.
import type * as dgram from 'node:dgram';
import { lazyBuiltins } from '../util/lazy-builtins';
import * as net from 'node:net';
import { statsdLine, type FieldValue, type MetricKind, type Tags } from './format';
import type { MetricsSink, MetricsWarn } from './sink';

/** Datagrams kept while the host name resolves (the first file's metrics); beyond, dropped. */
const PENDING_MAX = 1000;
/** Largest datagram we build: fits an Ethernet MTU, so no IP fragmentation (as statsd clients advise). */
const MAX_DATAGRAM = 1432;

export class StatsdSink implements MetricsSink {
  private socket: dgram.Socket | undefined;
  private address: string | undefined;
  private pending: Buffer[] | undefined = [];
  private closed = false;
  /** Datagrams handed to the socket whose send has not completed (the first ones wait for the implicit bind). */
  private outstanding = 0;
  private drained: (() => void) | undefined;
  /** Lines of this event-loop turn, sent together by `flushLines` (one send instead of three per file). */
  private lines = '';
  private flushScheduled = false;
  /** Datagrams the kernel refused (no listener is not one: UDP does not know). */
  errors = 0;

  constructor(host: string, private readonly port: number, private readonly warn: MetricsWarn) {
    const family = net.isIP(host);
    if (family) this.open(host, family);
    else {
      // Resolved once: dgram would look the name up again for every datagram.
      lazyBuiltins.dns().lookup(host, (err, address, fam) => {
        if (this.closed) return;
        if (err) {
          this.pending = undefined;
          this.warn('metrics: cannot resolve the statsd host; statsd metrics are off', { host, reason: err.message });
          return;
        }
        this.open(address, fam);
      });
    }
  }

  record(kind: MetricKind, name: string, tags: Tags, value: number): void {
    if (this.closed) return;
    const line = statsdLine(kind, name, tags, value);
    if (this.lines.length > 0 && this.lines.length + 1 + line.length > MAX_DATAGRAM) this.flushLines();
    this.lines = this.lines.length > 0 ? `${this.lines}\n${line}` : line;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushLines);
    }
  }

  point(measurement: string, tags: Tags, fields: ReadonlyArray<readonly [string, FieldValue]>): void {
    // Telegraf's statsd input names a gauge's measurement after its bucket, field `value`: one gauge per numeric field.
    for (const [field, value] of fields) if (typeof value === 'number') this.record('gauge', `${measurement}_${field}`, tags, value);
  }

  private readonly flushLines = (): void => {
    this.flushScheduled = false;
    if (this.lines.length === 0) return;
    const packet = Buffer.from(this.lines);
    this.lines = '';
    if (this.socket && this.address) this.send(this.socket, packet, this.address);
    else if (this.pending && this.pending.length < PENDING_MAX) this.pending.push(packet);
  };

  async close(): Promise<void> {
    if (this.closed) return;
    this.flushLines();
    this.closed = true;
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    // Closing cancels sends still queued: wait (briefly) for the last datagrams to leave.
    if (this.outstanding > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 500);
        this.drained = () => { clearTimeout(t); resolve(); };
      });
    }
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private send(socket: dgram.Socket, packet: Buffer, address: string): void {
    this.outstanding++;
    socket.send(packet, this.port, address, this.onSent);
  }

  private readonly onSent = (err: Error | null): void => {
    if (err) this.errors++;
    if (--this.outstanding === 0 && this.drained) this.drained();
  };

  private open(address: string, family: number): void {
    const socket = lazyBuiltins.dgram().createSocket(family === 6 ? 'udp6' : 'udp4');
    // Errors (ECONNREFUSED from an ICMP reply, ENOBUFS) are never the data path's problem.
    socket.on('error', () => { this.errors++; });
    socket.unref();
    this.socket = socket;
    this.address = address;
    const queued = this.pending ?? [];
    this.pending = undefined;
    for (const packet of queued) this.send(socket, packet, address);
  }
}
