// One Redis connection that never drops a command: requests queue while it is down, in-flight ones are re-sent
// after a reconnect (backoff min(50 × attempt, 1000) ms, forever), replies are matched to requests in order.
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import type { RedisAddress } from './address';
import { encodeCommand } from './encode';
import { ConnectionClosedError, ReplyError } from './errors';
import { ReplyParser, type Reply } from './reply-parser';

export type ConnectionStatus = 'connecting' | 'ready' | 'reconnecting' | 'end';

/**
 * A request on the wire: one command, or a block of commands that must be answered together (MULTI … EXEC,
 * re-sent whole after a reconnect since Redis discards a transaction when its connection drops).
 */
export class Request {
  /** Replies received so far (only for blocks of more than one reply). */
  received: Reply[] | undefined;

  constructor(
    readonly payload: string,
    /** Top-level replies it takes: 1, or the size of a block. */
    readonly expect: number,
    /** Called once with the reply (expect 1) or the array of replies (a block), errors included as ReplyError values. */
    readonly settle: (reply: Reply) => void,
    readonly fail: (err: Error) => void,
  ) {}
}

export interface ConnectionOptions {
  /** CLIENT SETNAME on every (re)connect (CLIENT LIST shows it). */
  name?: string;
}

const MAX_BACKOFF_MS = 1000;
/** Replies Redis gives while it cannot serve yet: the command is sent again after a reconnect. */
const NOT_YET = /^(READONLY|LOADING)\b/;

/**
 * Events: 'ready' (connected, queued requests sent), 'close' (the socket closed; it reconnects unless ended),
 * 'error' (a connection attempt or the socket failed; emitted only when someone listens).
 */
export class RedisConnection extends EventEmitter {
  private socket: net.Socket | undefined;
  private readonly parser: ReplyParser;
  /** Unanswered requests, oldest first, from `head`: sent on the current socket, or waiting for one. */
  private queue: Request[] = [];
  private head = 0;
  /** The next reply on the new socket answers our CLIENT SETNAME, not a request. */
  private handshake = false;
  /** Replies still arriving on a socket being dropped (READONLY/LOADING) are ignored. */
  private dropping = false;
  private attempts = 0;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private state: ConnectionStatus = 'connecting';
  private readonly setName: string | undefined;

  constructor(private readonly address: RedisAddress, options: ConnectionOptions = {}) {
    super();
    this.setName = options.name ? encodeCommand('CLIENT', ['SETNAME', options.name]) : undefined;
    this.parser = new ReplyParser((reply) => this.onReply(reply));
    this.connect();
  }

  get status(): ConnectionStatus {
    return this.state;
  }

  /** Queues a request; it is written at once when connected, else when the connection is back. */
  send(request: Request): void {
    if (this.ended) {
      request.fail(new ConnectionClosedError('the connection was ended by quit() or disconnect()'));
      return;
    }
    this.queue.push(request);
    if (this.state === 'ready' && this.socket) this.socket.write(request.payload);
  }

  /** Queues several requests, written in one socket write (a pipeline). */
  sendAll(requests: readonly Request[]): void {
    if (this.ended) {
      for (const r of requests) r.fail(new ConnectionClosedError('the connection was ended by quit() or disconnect()'));
      return;
    }
    let payload = '';
    for (const r of requests) {
      this.queue.push(r);
      payload += r.payload;
    }
    if (this.state === 'ready' && this.socket) this.socket.write(payload);
  }

  /**
   * Sends QUIT after what is queued, so their replies come first; the connection then ends without reconnecting.
   * Nothing queued and not connected: ends at once. Redis down with requests queued: they fail at the next failed
   * attempt to reconnect (quit() never waits for an outage to end).
   */
  quit(): Promise<'OK'> {
    if (this.ended) return Promise.resolve('OK');
    if (this.state !== 'ready' && this.head === this.queue.length) {
      this.end();
      return Promise.resolve('OK');
    }
    return new Promise((resolve) => {
      this.send(new Request('*1\r\n$4\r\nQUIT\r\n', 1, () => resolve('OK'), () => resolve('OK')));
      this.ended = true;
    });
  }

  /** Closes now: queued and in-flight requests fail with ConnectionClosedError. */
  disconnect(): void {
    this.end();
  }

  private end(): void {
    this.ended = true;
    this.state = 'end';
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.socket?.destroy();
    this.failAll(new ConnectionClosedError('disconnect() was called'));
  }

  private failAll(err: Error): void {
    const pending = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    for (const r of pending) r.fail(err);
  }

  private connect(): void {
    this.timer = undefined;
    const socket = 'socket' in this.address ? net.createConnection(this.address.socket) : net.createConnection(this.address.port, this.address.host);
    this.socket = socket;
    if (!('socket' in this.address)) socket.setNoDelay(true);
    socket.on('connect', () => this.onConnect(socket));
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      try {
        this.parser.feed(chunk);
      } catch (err) {
        // Not RESP: nothing after this point can be matched to a request; start over on a new connection.
        this.report(err as Error);
        socket.destroy();
      }
    });
    socket.on('error', (err) => this.report(err));
    socket.on('close', () => this.onClose(socket));
  }

  private onConnect(socket: net.Socket): void {
    if (this.socket !== socket) return;
    this.parser.reset();
    this.dropping = false;
    this.state = 'ready';
    // Everything unanswered goes again, in order, in one write: the in-flight requests of the lost connection
    // first (the server may never have seen them), then those issued while it was down.
    let payload = '';
    if (this.setName) {
      this.handshake = true;
      payload = this.setName;
    }
    for (let i = this.head; i < this.queue.length; i++) {
      const r = this.queue[i];
      if (r.expect > 1) r.received = undefined;
      payload += r.payload;
    }
    if (payload !== '') socket.write(payload);
    if (!this.handshake) this.ready();
  }

  /** Connected and named: the backoff starts again from its first step at the next outage. */
  private ready(): void {
    this.attempts = 0;
    this.emit('ready');
  }

  private onClose(socket: net.Socket): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.handshake = false;
    this.emit('close');
    if (this.ended) {
      this.state = 'end';
      this.failAll(new ConnectionClosedError('the connection ended'));
      return;
    }
    this.state = 'reconnecting';
    this.attempts++;
    this.timer = setTimeout(() => this.connect(), Math.min(50 * this.attempts, MAX_BACKOFF_MS));
  }

  private report(err: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  private onReply(reply: Reply): void {
    if (this.dropping) return;
    if (this.handshake) {
      this.handshake = false;
      if (reply instanceof ReplyError) {
        this.report(new ReplyError(`CLIENT SETNAME refused: ${reply.message}`));
        if (NOT_YET.test(reply.message)) {
          // Loading its data: not ready yet; what was written with the name is sent again on the next connection.
          this.drop();
          return;
        }
      }
      this.ready();
      return;
    }
    const r = this.queue[this.head];
    if (r === undefined) {
      this.report(new Error(`Redis sent a reply nobody asked for: ${String(reply)}`));
      return;
    }
    if (r.expect > 1) {
      (r.received ??= []).push(reply);
      if (r.received.length < r.expect) return;
      this.advance();
      r.settle(r.received);
      return;
    }
    if (reply instanceof ReplyError && NOT_YET.test(reply.message)) {
      // A replica or a loading server: keep the request at the head and send it again on a new connection.
      this.drop();
      return;
    }
    this.advance();
    r.settle(reply);
  }

  /** Abandons this socket: later replies on it are ignored, new requests wait for the next connection. */
  private drop(): void {
    this.dropping = true;
    this.state = 'reconnecting';
    this.socket?.destroy();
  }

  private advance(): void {
    this.queue[this.head++] = undefined as unknown as Request;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
