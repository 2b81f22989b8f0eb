// The Redis surface the step worker's modules use, satisfied structurally by ioredis's Redis and by our LeanRedis.

/** A pipeline or MULTI being built: chainable, then exec() with ioredis's `[error, result][]` shape (null: EXEC aborted). */
export interface DataBatch {
  incrby(key: string, increment: number): DataBatch;
  expire(key: string, seconds: number): DataBatch;
  hset(key: string, fields: Record<string, string | number>): DataBatch;
  hincrby(key: string, field: string, increment: number): DataBatch;
  hincrbyfloat(key: string, field: string, increment: number): DataBatch;
  sadd(key: string, ...members: string[]): DataBatch;
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}

/**
 * What TagStore, StepState, StepStatsRecorder, QueueConsumer, recovery, message-guard, the builtin steps' store,
 * the journey recorder and configured-edges call: exactly that, so a worker can hand them our client (no ioredis
 * in its bundle) and every other process can keep handing them ioredis.
 */
export interface DataRedis {
  call(command: string, ...args: Array<string | number>): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  incr(key: string): Promise<number>;
  llen(key: string): Promise<number>;
  lpush(key: string, ...values: string[]): Promise<number>;
  rpush(key: string, ...values: string[]): Promise<number>;
  hget(key: string, field: string): Promise<string | null>;
  hgetall(key: string): Promise<Record<string, string>>;
  multi(): DataBatch;
  pipeline(): DataBatch;
  /** Adds a method `name` running the Lua script (EVALSHA, falling back to EVAL when Redis lost it). */
  defineCommand(name: string, definition: { lua: string; numberOfKeys?: number }): void;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: 'close' | 'ready', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}
