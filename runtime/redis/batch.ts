// Pipelines and MULTI/EXEC of the worker's Redis client: commands encoded as they are chained, written in one go.
import type { RedisConnection } from './connection';
import { Request } from './connection';
import { encodeCommand, type Arg } from './encode';
import { ReplyError } from './errors';
import type { Reply } from './reply-parser';
import type { DataBatch } from './types';

const MULTI = '*1\r\n$5\r\nMULTI\r\n';
const EXEC = '*1\r\n$4\r\nEXEC\r\n';

export type Results = Array<[Error | null, unknown]>;

/**
 * `pipeline()`: every command is its own request (answered, and re-sent after a reconnect, one by one), all
 * written in one socket write. `multi()`: one request MULTI … EXEC, re-sent whole (Redis discards a transaction
 * whose connection dropped); a command refused while queuing aborts it (EXECABORT, with `previousErrors`).
 */
export class CommandBatch implements DataBatch {
  private readonly payloads: string[] = [];
  private readonly names: string[] = [];

  constructor(private readonly connection: RedisConnection, private readonly transaction: boolean) {}

  get length(): number {
    return this.payloads.length;
  }

  call(command: string, ...args: Arg[]): this {
    this.payloads.push(encodeCommand(command, args));
    this.names.push(command);
    return this;
  }

  incrby(key: string, increment: number): this { return this.call('INCRBY', key, increment); }
  incr(key: string): this { return this.call('INCR', key); }
  del(...keys: string[]): this { return this.call('DEL', ...keys); }
  expire(key: string, seconds: number): this { return this.call('EXPIRE', key, seconds); }
  hincrby(key: string, field: string, increment: number): this { return this.call('HINCRBY', key, field, increment); }
  hincrbyfloat(key: string, field: string, increment: number): this { return this.call('HINCRBYFLOAT', key, field, increment); }
  sadd(key: string, ...members: string[]): this { return this.call('SADD', key, ...members); }
  lpush(key: string, ...values: string[]): this { return this.call('LPUSH', key, ...values); }
  rpush(key: string, ...values: string[]): this { return this.call('RPUSH', key, ...values); }
  set(key: string, value: Arg): this { return this.call('SET', key, value); }
  get(key: string): this { return this.call('GET', key); }

  hset(key: string, fields: Record<string, string | number>): this {
    const args: Arg[] = [key];
    for (const f of Object.keys(fields)) args.push(f, fields[f]);
    return this.call('HSET', ...args);
  }

  exec(): Promise<Results | null> {
    const n = this.payloads.length;
    if (n === 0) return Promise.resolve([]);
    return this.transaction ? this.execMulti() : this.execPipeline();
  }

  private execPipeline(): Promise<Results> {
    return new Promise((resolve) => {
      const results: Results = new Array(this.payloads.length);
      let left = this.payloads.length;
      const requests = this.payloads.map((payload, i) => new Request(payload, 1, (reply) => {
        results[i] = reply instanceof ReplyError ? [named(reply, this.names[i]), null] : [null, reply];
        if (--left === 0) resolve(results);
      }, (err) => {
        results[i] = [err, null];
        if (--left === 0) resolve(results);
      }));
      this.connection.sendAll(requests);
    });
  }

  private execMulti(): Promise<Results | null> {
    const n = this.payloads.length;
    return new Promise((resolve, reject) => {
      this.connection.send(new Request(MULTI + this.payloads.join('') + EXEC, n + 2, (reply) => {
        const replies = reply as Reply[];
        const exec = replies[n + 1];
        if (exec instanceof ReplyError) {
          exec.previousErrors = replies.slice(0, n + 1).filter((r): r is ReplyError => r instanceof ReplyError);
          reject(exec);
          return;
        }
        if (exec === null || !Array.isArray(exec)) {
          resolve(null);
          return;
        }
        resolve(exec.map((r, i): [Error | null, unknown] => (r instanceof ReplyError ? [named(r, this.names[i]), null] : [null, r])));
      }, reject));
    });
  }
}

/** Says which command an error reply answered (Redis's message stays as it is). */
export function named(err: ReplyError, command: string): ReplyError {
  err.command = command;
  return err;
}
