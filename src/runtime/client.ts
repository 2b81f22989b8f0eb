// Client of the supervisor's control socket: requests, the pushed event stream, a slow backstop poll,
// and reconnection, so the extension follows a runtime whether it started it or the CLI did.
// No vscode import: plain node, so it can be driven by node tests against a real supervisor.
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import type { Request, Response, RuntimeEvent, RuntimeStatus } from '../../runtime/supervisor/protocol';

/** A request as the caller writes it; the client adds the id. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type ControlRequest = WithoutId<Request>;

export class ControlSocketError extends Error {
  constructor(
    readonly socketPath: string,
    readonly command: string,
    message: string,
  ) {
    super(`control socket ${socketPath}: '${command}' ${message}`);
    this.name = 'ControlSocketError';
  }
}

export interface ControlClientOptions {
  /** Seconds between status polls while connected, in case an event was missed. */
  backstopSeconds?: number;
  /** Seconds between connection attempts while no runtime answers. */
  reconnectSeconds?: number;
  /** Seconds a request may wait for its response. */
  requestTimeoutSeconds?: number;
}

interface Pending {
  command: string;
  resolve(result: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** One JSON-lines connection: id-matched responses and, after `subscribe`, events. */
class LineConnection {
  private buffer = '';
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly socket: net.Socket,
    private readonly socketPath: string,
    private readonly timeoutMs: number,
    private readonly onEvent: (e: RuntimeEvent) => void,
    onClose: () => void,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('close', () => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new ControlSocketError(this.socketPath, p.command, 'failed: the connection closed (is the runtime stopping?)'));
      }
      this.pending.clear();
      onClose();
    });
    socket.on('error', () => { /* 'close' follows and reports */ });
  }

  static open(socketPath: string, timeoutMs: number, onEvent: (e: RuntimeEvent) => void, onClose: () => void): Promise<LineConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(socketPath);
      const fail = (err: Error): void => reject(err);
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.off('error', fail);
        resolve(new LineConnection(socket, socketPath, timeoutMs, onEvent, onClose));
      });
    });
  }

  request(req: ControlRequest): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ControlSocketError(this.socketPath, req.cmd, `got no answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(id, { command: req.cmd, resolve, reject, timer });
      this.socket.write(JSON.stringify({ ...req, id }) + '\n');
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line) this.handle(line);
    }
  }

  private handle(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      return; // a garbled line is not worth dropping the connection for
    }
    if (typeof msg !== 'object' || msg === null) return;
    if ('event' in msg) {
      this.onEvent(msg as RuntimeEvent);
      return;
    }
    const res = msg as Response;
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    clearTimeout(p.timer);
    if (res.ok) p.resolve(res.result);
    else p.reject(new ControlSocketError(this.socketPath, p.command, `failed: ${res.error}`));
  }
}

export interface ControlClientEvents {
  /** The status changed (undefined: no runtime answers on the socket). */
  status: [RuntimeStatus | undefined];
  /** An event pushed by the supervisor. */
  event: [RuntimeEvent];
}

/**
 * Follows one runtime home's supervisor. `status` is the latest known status, or undefined while no
 * runtime answers. Emits 'status' on every change (after an event, a poll, a connect or a disconnect).
 */
export class ControlClient extends EventEmitter<ControlClientEvents> {
  private requests?: LineConnection;
  private events?: LineConnection;
  private connecting?: Promise<boolean>;
  private reconnectTimer?: NodeJS.Timeout;
  private backstopTimer?: NodeJS.Timeout;
  private refreshTimer?: NodeJS.Timeout;
  private disposed = false;
  private current: RuntimeStatus | undefined;
  private readonly backstopMs: number;
  private readonly reconnectMs: number;
  private readonly timeoutMs: number;

  private target: string;

  constructor(
    socketPath: string,
    options: ControlClientOptions = {},
  ) {
    super();
    this.target = socketPath;
    this.backstopMs = (options.backstopSeconds ?? 30) * 1000;
    this.reconnectMs = (options.reconnectSeconds ?? 2) * 1000;
    this.timeoutMs = (options.requestTimeoutSeconds ?? 15) * 1000;
  }

  get status(): RuntimeStatus | undefined {
    return this.current;
  }

  /** The supervisor socket followed now (it changes with the project folder or the home). */
  get socketPath(): string {
    return this.target;
  }

  /** Follows another runtime home's socket: drops the current connection and its status, connects there. */
  retarget(socketPath: string): void {
    if (socketPath === this.target || this.disposed) return;
    this.target = socketPath;
    const had = this.requests !== undefined || this.current !== undefined;
    this.requests?.close();
    this.events?.close();
    this.requests = undefined;
    this.events = undefined;
    clearInterval(this.backstopTimer);
    if (had) this.setStatus(undefined);
    void this.connect();
  }

  get connected(): boolean {
    return this.requests !== undefined;
  }

  /** Starts following the socket: connects now if a runtime answers, else keeps trying. */
  start(): void {
    void this.connect();
  }

  /** Tries to connect once now; resolves whether a runtime answered. */
  connect(): Promise<boolean> {
    if (this.requests) return Promise.resolve(true);
    this.connecting ??= this.tryConnect().finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  async request(req: ControlRequest): Promise<unknown> {
    if (!this.requests && !(await this.connect())) {
      throw new ControlSocketError(this.socketPath, req.cmd, 'failed: no runtime answers on this socket (start it first)');
    }
    return this.requests!.request(req);
  }

  /** Asks for the status now and emits it. */
  async refresh(): Promise<RuntimeStatus | undefined> {
    if (!this.requests) return undefined;
    try {
      const status = (await this.requests.request({ cmd: 'status' })) as RuntimeStatus;
      this.setStatus(status);
      return status;
    } catch {
      return this.current;
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.backstopTimer);
    clearTimeout(this.refreshTimer);
    this.requests?.close();
    this.events?.close();
    this.removeAllListeners();
  }

  private async tryConnect(): Promise<boolean> {
    if (this.disposed) return false;
    clearTimeout(this.reconnectTimer);
    const target = this.target;
    try {
      const onClose = (): void => this.dropped();
      const requests = await LineConnection.open(target, this.timeoutMs, () => {}, onClose);
      const events = await LineConnection.open(target, this.timeoutMs, (e) => this.pushed(e), onClose).catch((err: Error) => {
        requests.close();
        throw err;
      });
      if (target !== this.target) {
        // Retargeted while connecting: this runtime is no longer the one followed.
        requests.close();
        events.close();
        return this.tryConnect();
      }
      this.requests = requests;
      this.events = events;
      await events.request({ cmd: 'subscribe' });
      await this.refresh();
      clearInterval(this.backstopTimer);
      this.backstopTimer = setInterval(() => void this.refresh(), this.backstopMs);
      return true;
    } catch {
      this.scheduleReconnect();
      return false;
    }
  }

  private pushed(e: RuntimeEvent): void {
    this.emit('event', e);
    // Events name what changed; the status has the whole picture. Coalesce bursts into one request.
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 50);
  }

  private dropped(): void {
    if (!this.requests && !this.events) return;
    this.requests?.close();
    this.events?.close();
    this.requests = undefined;
    this.events = undefined;
    clearInterval(this.backstopTimer);
    this.setStatus(undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.disposed) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectMs);
  }

  private setStatus(status: RuntimeStatus | undefined): void {
    this.current = status;
    this.emit('status', status);
  }
}
