// The control socket: a unix socket (mode 0600) speaking JSON lines (protocol.ts) to the supervisor.
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { Request, Response, RuntimeEvent } from './protocol';
import { checkSocketPath } from './socket-path';
import { ControlRequestError, type Supervisor } from './supervisor';

const REQUEST_COMMANDS: ReadonlySet<string> = new Set([
  'status', 'start', 'stop', 'restart', 'incr', 'decr', 'set_numprocesses', 'reload', 'shutdown', 'subscribe',
  'hand_over', 'take_back', 'report_config_error', 'clear_config_error',
]);
/** A client sending a line longer than this is disconnected (protects the supervisor's memory). */
const MAX_LINE = 1024 * 1024;

export interface ControlServerOptions {
  socketPath: string;
  supervisor: Supervisor;
  /** `shutdown` request: answered first, then this runs (stop everything, exit). */
  onShutdown(): void;
}

export class ControlServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly opts: ControlServerOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Listens on the socket path (replacing a stale socket file: the caller holds the home lock). */
  static async listen(opts: ControlServerOptions): Promise<ControlServer> {
    checkSocketPath(opts.socketPath);
    fs.rmSync(opts.socketPath, { force: true });
    const cs = new ControlServer(opts);
    // The socket file is created by bind() inside listen(): a restrictive umask makes it 0600 from
    // the first instant, before any connection can be accepted; chmod below states it explicitly.
    const previous = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        cs.server.once('error', reject);
        cs.server.listen(opts.socketPath, () => {
          cs.server.off('error', reject);
          resolve();
        });
      });
    } finally {
      process.umask(previous);
    }
    fs.chmodSync(opts.socketPath, 0o600);
    return cs;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.opts.socketPath, { force: true });
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    let buffer = '';
    let unsubscribe: (() => void) | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl !== -1) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line !== '') void this.dispatch(line, socket, (u) => { unsubscribe = u; });
        nl = buffer.indexOf('\n');
      }
      if (buffer.length > MAX_LINE) socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      unsubscribe?.();
      this.sockets.delete(socket);
    });
  }

  private async dispatch(line: string, socket: net.Socket, setUnsubscribe: (u: () => void) => void): Promise<void> {
    let req: Request;
    try {
      req = parseRequest(line);
    } catch (err) {
      send(socket, { id: idOf(line), ok: false, error: (err as Error).message });
      return;
    }
    try {
      if (req.cmd === 'subscribe') {
        send(socket, { id: req.id, ok: true });
        setUnsubscribe(this.opts.supervisor.subscribe((event: RuntimeEvent) => send(socket, event)));
        return;
      }
      if (req.cmd === 'shutdown') {
        send(socket, { id: req.id, ok: true });
        this.opts.onShutdown();
        return;
      }
      const result = await this.opts.supervisor.handle(req);
      send(socket, result === undefined ? { id: req.id, ok: true } : { id: req.id, ok: true, result });
    } catch (err) {
      const message = err instanceof ControlRequestError || err instanceof Error ? err.message : String(err);
      send(socket, { id: req.id, ok: false, error: message });
    }
  }
}

function send(socket: net.Socket, message: Response | RuntimeEvent): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(message)}\n`);
}

function idOf(line: string): number {
  const m = /"id"\s*:\s*(\d+)/.exec(line);
  return m ? Number(m[1]) : 0;
}

/** Checks the shape of a request line; the error says what is wrong. */
export function parseRequest(line: string): Request {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ControlRequestError(`not a JSON object: ${line.slice(0, 200)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ControlRequestError('a request is a JSON object');
  const obj = value as Record<string, unknown>;
  if (typeof obj.id !== 'number') throw new ControlRequestError("a request needs a numeric 'id'");
  if (typeof obj.cmd !== 'string' || !REQUEST_COMMANDS.has(obj.cmd)) {
    throw new ControlRequestError(`unknown cmd ${JSON.stringify(obj.cmd)} (known: ${[...REQUEST_COMMANDS].join(', ')})`);
  }
  const needsWatcher = ['start', 'stop', 'restart', 'incr', 'decr', 'set_numprocesses', 'hand_over', 'take_back'];
  if (needsWatcher.includes(obj.cmd) && typeof obj.watcher !== 'string') throw new ControlRequestError(`'${obj.cmd}' needs a 'watcher' name`);
  if (obj.cmd === 'set_numprocesses' && typeof obj.value !== 'number') throw new ControlRequestError("'set_numprocesses' needs a numeric 'value'");
  if (obj.cmd === 'report_config_error' && typeof obj.error !== 'string') throw new ControlRequestError("'report_config_error' needs an 'error' string");
  return obj as unknown as Request;
}
