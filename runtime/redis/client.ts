// The step worker's Redis client: typed commands, pipelines, MULTI and Lua scripts over one RedisConnection (no ioredis).
import { createHash } from 'node:crypto';
import type { RedisAddress } from './address';
import { CommandBatch } from './batch';
import { RedisConnection, Request, type ConnectionStatus } from './connection';
import { encodeCommand, type Arg } from './encode';
import { ReplyError } from './errors';
import type { Reply } from './reply-parser';
import type { DataRedis } from './types';

export interface ScriptDefinition {
  lua: string;
  /** Keys the script takes; left out, the caller passes the count as the first argument. */
  numberOfKeys?: number;
}

type Convert<T> = (reply: Reply) => T;

const asIs = <T>(reply: Reply): T => reply as T;

/**
 * A small client with ioredis's result shapes (bulk strings decoded as UTF-8, hgetall as an object, `[err, result]`
 * pipelines) and its data-path guarantees (see RedisConnection). Why not ioredis in a worker: requiring it costs
 * ~13 MB of RSS and ~300 KB of bundle to compile at every start, and its per-command objects feed the GC.
 */
export class LeanRedis implements DataRedis {
  private readonly connection: RedisConnection;

  constructor(address: RedisAddress, options: { name?: string } = {}) {
    this.connection = new RedisConnection(address, options);
  }

  get status(): ConnectionStatus {
    return this.connection.status;
  }

  on(event: 'close' | 'ready', listener: () => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: string, listener: ((err: Error) => void) | (() => void)): this {
    this.connection.on(event, listener as (err: Error) => void);
    return this;
  }

  /** Any command; the reply as decoded (strings, numbers, null, arrays). An error reply rejects with ReplyError. */
  call(command: string, ...args: Arg[]): Promise<unknown> {
    return this.send(command, args, asIs);
  }

  del(...keys: string[]): Promise<number> { return this.send('DEL', keys, asIs<number>); }
  incr(key: string): Promise<number> { return this.send('INCR', [key], asIs<number>); }
  incrby(key: string, increment: number): Promise<number> { return this.send('INCRBY', [key, increment], asIs<number>); }
  expire(key: string, seconds: number): Promise<number> { return this.send('EXPIRE', [key, seconds], asIs<number>); }
  llen(key: string): Promise<number> { return this.send('LLEN', [key], asIs<number>); }
  lpush(key: string, ...values: string[]): Promise<number> { return this.send('LPUSH', [key, ...values], asIs<number>); }
  rpush(key: string, ...values: string[]): Promise<number> { return this.send('RPUSH', [key, ...values], asIs<number>); }
  get(key: string): Promise<string | null> { return this.send('GET', [key], asIs<string | null>); }
  set(key: string, value: Arg, ...options: Arg[]): Promise<'OK' | null> { return this.send('SET', [key, value, ...options], asIs<'OK' | null>); }
  hget(key: string, field: string): Promise<string | null> { return this.send('HGET', [key, field], asIs<string | null>); }
  hgetall(key: string): Promise<Record<string, string>> { return this.send('HGETALL', [key], toObject); }
  type(key: string): Promise<string> { return this.send('TYPE', [key], asIs<string>); }
  brpop(...keysAndTimeout: Arg[]): Promise<[string, string] | null> { return this.send('BRPOP', keysAndTimeout, asIs<[string, string] | null>); }

  client(subcommand: 'ID'): Promise<number>;
  client(subcommand: 'UNBLOCK', clientId: number): Promise<number>;
  client(subcommand: string, ...args: Arg[]): Promise<unknown>;
  client(subcommand: string, ...args: Arg[]): Promise<unknown> {
    return this.send('CLIENT', [subcommand, ...args], asIs);
  }

  pipeline(): CommandBatch {
    return new CommandBatch(this.connection, false);
  }

  multi(): CommandBatch {
    return new CommandBatch(this.connection, true);
  }

  /**
   * Adds `this[name](...args)`: EVALSHA of the script; when Redis does not know it (NOSCRIPT: restarted, SCRIPT
   * FLUSH) the same call is sent as EVAL, which also loads it for the next time. A Lua error rejects with Redis's
   * message, which names the script's line.
   */
  defineCommand(name: string, definition: ScriptDefinition): void {
    const sha = createHash('sha1').update(definition.lua).digest('hex');
    const run = (...args: Arg[]): Promise<unknown> => {
      const tail = definition.numberOfKeys === undefined ? args : [definition.numberOfKeys, ...args];
      return this.send('EVALSHA', [sha, ...tail], asIs).catch((err: unknown) => {
        if (!(err instanceof ReplyError) || !err.message.startsWith('NOSCRIPT')) throw err;
        return this.send('EVAL', [definition.lua, ...tail], asIs);
      });
    };
    Object.defineProperty(this, name, { value: run, configurable: true, enumerable: false, writable: true });
  }

  /** QUIT once the replies of what was sent arrived; the connection then ends (no reconnect). */
  quit(): Promise<'OK'> {
    return this.connection.quit();
  }

  /** Closes at once: every pending command fails. */
  disconnect(): void {
    this.connection.disconnect();
  }

  private send<T>(command: string, args: readonly Arg[], convert: Convert<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.connection.send(new Request(encodeCommand(command, args), 1, (reply) => {
        if (reply instanceof ReplyError) {
          reply.command = command;
          reject(reply);
        } else {
          resolve(convert(reply));
        }
      }, reject));
    });
  }
}

/** HGETALL's flat [field, value, …] as an object, as ioredis returns it (`__proto__` kept as a plain field). */
function toObject(reply: Reply): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const field = String(reply[i]);
    const value = reply[i + 1] as string;
    if (field === '__proto__') Object.defineProperty(out, field, { value, enumerable: true, writable: true, configurable: true });
    else out[field] = value;
  }
  return out;
}
