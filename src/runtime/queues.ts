// Reads the runtime's Redis for the views: step queues (`step.<plugin>.<step>` lists) with their
// lengths and first messages, and the per-step counters. Read-only except purge.
// No vscode import. Connects on demand (the runtime's unix socket, or the external Redis of mfdata.ini)
// and never queues commands offline.
import Redis from 'ioredis';
import { describeAddress, type RedisAddress } from '../../runtime/queue/connection';
import { counterKey, failedKey } from '../../runtime/queue/keys';
import { readStepStats, StepSeriesReader, type SeriesOptions, type StepRef, type StepSeries, type StepStats } from '../../runtime/stats/read';

/** A queue message as the observer writes it (MFDATA wire format). */
export interface QueueMessage {
  directory?: string;
  filename?: string;
  event?: string;
  event_timestamp?: number;
  /** The raw list element, shown when it is not the JSON above. */
  raw: string;
}

export interface QueueInfo {
  name: string;
  length: number;
}

export interface StepCounters {
  /** Files the step claimed from its queue (`counter.<plugin>.<step>`, never reset). */
  processed: number;
  /**
   * Files the step failed, whatever its failure policy (keep, delete, move): `failed.<plugin>.<step>`,
   * incremented by the runtime when it applies the policy, never reset.
   */
  failed: number;
}

export class QueueInspectorError extends Error {
  constructor(address: string, what: string, cause: unknown) {
    super(`Redis at ${address}: ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'QueueInspectorError';
  }
}

/** What the views need from Redis; the real one is RedisQueueInspector. */
export interface QueueInspector {
  queues(): Promise<QueueInfo[]>;
  lengths(names: string[]): Promise<Map<string, number>>;
  counters(steps: Array<{ plugin: string; step: string }>): Promise<Map<string, StepCounters>>;
  /** The next `count` messages a worker would take, next first. */
  peek(queue: string, count: number): Promise<QueueMessage[]>;
  /** Deletes the list; resolves how many messages it held. */
  purge(queue: string): Promise<number>;
  /** The runtime's own figures per step (runtime/stats): last minute, since start, queue length. */
  stats(steps: StepRef[], now?: number): Promise<StepStats[]>;
  /** Each step's figures per bucket over the last minutes (runtime/stats), oldest first. */
  series(steps: StepRef[], opts?: SeriesOptions, now?: number): Promise<StepSeries[]>;
  /** Runs other reads on the same connection (the flow view's traces); errors say `what` failed and where. */
  withRedis<T>(what: string, action: (r: Redis) => Promise<T>): Promise<T>;
  dispose(): void;
}

export function parseQueueMessage(raw: string): QueueMessage {
  try {
    const m: unknown = JSON.parse(raw);
    if (typeof m === 'object' && m !== null) {
      const o = m as Record<string, unknown>;
      return {
        raw,
        directory: typeof o.directory === 'string' ? o.directory : undefined,
        filename: typeof o.filename === 'string' ? o.filename : undefined,
        event: typeof o.event === 'string' ? o.event : undefined,
        event_timestamp: typeof o.event_timestamp === 'number' ? o.event_timestamp : undefined,
      };
    }
  } catch {
    // not JSON: shown raw
  }
  return { raw };
}

export class RedisQueueInspector implements QueueInspector {
  private client?: Redis;
  private clientAddress?: string;
  private connecting?: Promise<Redis>;
  /** The metrics panel's series: past buckets kept between refreshes; dropped with the connection. */
  private seriesReader = new StepSeriesReader();

  /** @param address where Redis is, asked before every call (a string is a unix socket path) */
  constructor(private readonly address: () => RedisAddress | string) {}

  async queues(): Promise<QueueInfo[]> {
    return this.run('listing step queues', async (r) => {
      const sorted = (await this.scanKeys(r, 'step.*', 'list')).sort();
      const lengths = await this.lengthsWith(r, sorted);
      return sorted.map((name) => ({ name, length: lengths.get(name) ?? 0 }));
    });
  }

  lengths(names: string[]): Promise<Map<string, number>> {
    return this.run('reading queue lengths', (r) => this.lengthsWith(r, names));
  }

  counters(steps: Array<{ plugin: string; step: string }>): Promise<Map<string, StepCounters>> {
    return this.run('reading step counters', async (r) => {
      const result = new Map<string, StepCounters>();
      if (steps.length === 0) return result;
      // One MGET: processed then failed of every step.
      const values = await r.mget(...steps.flatMap((s) => [counterKey(s.plugin, s.step), failedKey(s.plugin, s.step)]));
      steps.forEach((s, i) => result.set(`${s.plugin}.${s.step}`, {
        processed: Number(values[2 * i] ?? 0) || 0,
        failed: Number(values[2 * i + 1] ?? 0) || 0,
      }));
      return result;
    });
  }

  peek(queue: string, count: number): Promise<QueueMessage[]> {
    // Producers LPUSH and workers pop from the right: the next message is the last element.
    return this.run(`peeking ${queue}`, async (r) => (await r.lrange(queue, -count, -1)).reverse().map(parseQueueMessage));
  }

  purge(queue: string): Promise<number> {
    return this.run(`purging ${queue}`, async (r) => {
      const [[, length], [, deleted]] = (await r.multi().llen(queue).del(queue).exec()) as [[Error | null, number], [Error | null, number]];
      return deleted ? length : 0;
    });
  }

  stats(steps: StepRef[], now?: number): Promise<StepStats[]> {
    return this.run('reading step stats', (r) => readStepStats(r, steps, now));
  }

  series(steps: StepRef[], opts?: SeriesOptions, now?: number): Promise<StepSeries[]> {
    return this.run('reading step series', (r) => this.seriesReader.read(r, steps, opts, now));
  }

  withRedis<T>(what: string, action: (r: Redis) => Promise<T>): Promise<T> {
    return this.run(what, action);
  }

  dispose(): void {
    this.client?.disconnect();
    this.client = undefined;
    this.clientAddress = undefined;
    this.connecting = undefined;
    this.seriesReader = new StepSeriesReader();
  }

  private async scanKeys(r: Redis, pattern: string, type?: string): Promise<string[]> {
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = type ? await r.scan(cursor, 'MATCH', pattern, 'COUNT', 1000, 'TYPE', type) : await r.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const k of keys) found.add(k);
    } while (cursor !== '0');
    return [...found];
  }

  private async lengthsWith(r: Redis, names: string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    if (names.length === 0) return result;
    const pipeline = r.pipeline();
    for (const n of names) pipeline.llen(n);
    const replies = (await pipeline.exec()) ?? [];
    names.forEach((n, i) => result.set(n, Number(replies[i]?.[1] ?? 0)));
    return result;
  }

  private async run<T>(what: string, action: (r: Redis) => Promise<T>): Promise<T> {
    const asked = this.address();
    const address: RedisAddress = typeof asked === 'string' ? { socket: asked } : asked;
    try {
      return await action(await this.connection(address));
    } catch (err) {
      // A failed connection is dropped so the next call (the runtime may have started since) retries.
      this.dispose();
      throw new QueueInspectorError(describeAddress(address), what, err);
    }
  }

  /** One shared connection; concurrent callers wait for the same connect (no offline queue to hide it). */
  private connection(address: RedisAddress): Promise<Redis> {
    const described = describeAddress(address);
    if (this.client && this.clientAddress !== described) this.dispose();
    if (!this.client) {
      const options = {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        connectTimeout: 2000,
      };
      const client = 'socket' in address ? new Redis({ ...options, path: address.socket }) : new Redis({ ...options, host: address.host, port: address.port });
      client.on('error', () => { /* reported by the failing call */ });
      this.client = client;
      this.clientAddress = described;
      this.connecting = client.connect().then(() => client);
    }
    return this.connecting!;
  }
}
