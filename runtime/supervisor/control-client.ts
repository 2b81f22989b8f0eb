// A client of the control socket, for the CLI, conf_monitor, tests and the extension.
import * as net from 'node:net';
import type { Request, Response, RuntimeEvent, RuntimeStatus } from './protocol';

/** Nobody listens on the socket: the runtime is not running. */
export class NotRunningError extends Error {
  constructor(readonly socketPath: string, cause: string) {
    super(`the runtime is not running (no supervisor answers on ${socketPath}: ${cause})`);
    this.name = 'NotRunningError';
  }
}

/** The supervisor answered ok:false. */
export class ControlError extends Error {
  constructor(readonly cmd: string, message: string) {
    super(message);
    this.name = 'ControlError';
  }
}

/** A request without its id (the client numbers them). */
export type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class ControlClient {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { cmd: string; resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly eventListeners = new Set<(e: RuntimeEvent) => void>();
  private closedError: Error | undefined;

  private constructor(private readonly socket: net.Socket, readonly socketPath: string) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    const fail = (why: string): void => {
      this.closedError ??= new NotRunningError(socketPath, why);
      for (const p of this.pending.values()) p.reject(this.closedError);
      this.pending.clear();
    };
    socket.on('error', (err) => fail(err.message));
    socket.on('close', () => fail('connection closed'));
  }

  static connect(socketPath: string, timeoutMs = 2000): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(socketPath);
      const timer = setTimeout(() => { socket.destroy(); reject(new NotRunningError(socketPath, 'connection timed out')); }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new ControlClient(socket, socketPath));
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new NotRunningError(socketPath, err.code ?? err.message));
      });
    });
  }

  request(body: RequestBody): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { cmd: body.cmd, resolve, reject });
      this.socket.write(`${JSON.stringify({ ...body, id })}\n`);
    });
  }

  async status(): Promise<RuntimeStatus> {
    return (await this.request({ cmd: 'status' })) as RuntimeStatus;
  }

  /** Streams every RuntimeEvent to `listener` from now on (until close). */
  async subscribe(listener: (e: RuntimeEvent) => void): Promise<void> {
    this.eventListeners.add(listener);
    await this.request({ cmd: 'subscribe' });
  }

  close(): void {
    this.socket.destroy();
  }

  /** Resolves when the supervisor closes the connection (it exited). */
  closed(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) resolve();
      else this.socket.once('close', () => resolve());
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl = this.buffer.indexOf('\n');
    while (nl !== -1) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      nl = this.buffer.indexOf('\n');
      if (line.trim() === '') continue;
      const msg = JSON.parse(line) as Response | RuntimeEvent;
      if ('event' in msg) {
        for (const l of this.eventListeners) l(msg);
        continue;
      }
      const p = this.pending.get(msg.id);
      if (!p) continue;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new ControlError(p.cmd, msg.error));
    }
  }
}

/** One request on a fresh connection. */
export async function controlRequest(socketPath: string, body: RequestBody): Promise<unknown> {
  const client = await ControlClient.connect(socketPath);
  try {
    return await client.request(body);
  } finally {
    client.close();
  }
}
