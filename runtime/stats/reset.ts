// Resets the since-start step totals when the runtime starts, so "since start" means since this start. The
// supervisor runs it once its Redis answers, before any worker starts; raw RESP on the socket, as its PING
// is, so the supervisor needs no client library.
import * as net from 'node:net';
import { STATS_STARTED_KEY, STATS_STEPS_KEY } from './keys';

/** Deletes `stats@<p>/<s>@total` of every step in stats@steps, empties that set, sets stats@started = ARGV[1]. */
const RESET = `
local steps = redis.call('SMEMBERS', KEYS[1])
for _, s in ipairs(steps) do redis.call('DEL', 'stats@' .. s .. '@total') end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1])
return #steps`;

/** One RESP command as a bulk-string array. */
export function encodeCommand(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/**
 * Resets the totals on the Redis at `socket`; resolves the number of steps whose total was dropped.
 * Rejects (with the socket and Redis's words) on a refusal, a connection error or after timeoutMs.
 */
export function resetStatsTotals(socket: string, startedAt: number = Date.now(), timeoutMs = 2000): Promise<number> {
  return new Promise((resolve, reject) => {
    const conn = net.createConnection(socket);
    let reply = '';
    const done = (err: Error | null, n = 0): void => {
      clearTimeout(timer);
      conn.destroy();
      if (err) reject(err);
      else resolve(n);
    };
    const timer = setTimeout(() => done(new Error(`stats reset: no answer from Redis on ${socket} within ${timeoutMs} ms`)), timeoutMs);
    conn.on('connect', () => conn.write(encodeCommand(['EVAL', RESET, '2', STATS_STEPS_KEY, STATS_STARTED_KEY, String(startedAt)])));
    conn.on('data', (d) => {
      reply += d.toString();
      const end = reply.indexOf('\r\n');
      if (end < 0) return;
      const line = reply.slice(0, end);
      if (line.startsWith(':')) done(null, Number(line.slice(1)));
      else done(new Error(`stats reset: Redis on ${socket} answered ${line}`));
    });
    conn.on('error', (err) => done(new Error(`stats reset: cannot reach Redis on ${socket}: ${err.message}`)));
  });
}
