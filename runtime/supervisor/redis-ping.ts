// Redis readiness: PING over a unix socket, without a client library, so the supervisor stays small.
import * as net from 'node:net';

/** Resolves true when the server answers +PONG within timeoutMs. */
export function pingRedis(socket: string, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = net.createConnection(socket);
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      conn.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    conn.on('connect', () => conn.write('PING\r\n'));
    conn.on('data', (d) => done(d.toString().startsWith('+PONG')));
    conn.on('error', () => done(false));
  });
}

/** Polls until PING succeeds (true), `giveUp()` says to stop, or the timeout passes (false). */
export async function waitForRedis(socket: string, timeoutMs: number, giveUp: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pingRedis(socket)) return true;
    if (giveUp()) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
