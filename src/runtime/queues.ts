// Reads the runtime's Redis for the views: step queues (`step.<plugin>.<step>` lists) with their
// lengths and first messages, and the per-step counters. Read-only except purge.
// No vscode import. Connects over the runtime's unix socket on demand and never queues commands offline.
import Redis from 'ioredis';

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
  /** Files the step took from its queue (`counter.<plugin>.<step>`). */
  processed: number;
  /** Files that ended in the failure policy (`counter.<plugin>.<step>.failed`; 0 when absent). */
  failed: number;
}

/** Redis keys of a step's counters, in one place. */
export function stepCounterKeys(plugin: string, step: string): { processed: string; failed: string } {
  return { processed: `counter.${plugin}.${step}`, failed: `counter.${plugin}.${step}.failed` };
}

export class QueueInspectorError extends Error {
  constructor(socket: string, what: string, cause: unknown) {
    super(`Redis at ${socket}: ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
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

  constructor(private readonly socket: () => string) {}

  async queues(): Promise<QueueInfo[]> {
    return this.run('listing step queues', async (r) => {
      const names = new Set<string>();
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', 'step.*', 'COUNT', 500, 'TYPE', 'list');
        cursor = next;
        for (const k of keys) names.add(k);
      } while (cursor !== '0');
      const sorted = [...names].sort();
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
      const keys = steps.flatMap((s) => {
        const k = stepCounterKeys(s.plugin, s.step);
        return [k.processed, k.failed];
      });
      const values = await r.mget(...keys);
      steps.forEach((s, i) => {
        result.set(`${s.plugin}.${s.step}`, { processed: Number(values[2 * i] ?? 0) || 0, failed: Number(values[2 * i + 1] ?? 0) || 0 });
      });
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

  dispose(): void {
    this.client?.disconnect();
    this.client = undefined;
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
    const socket = this.socket();
    try {
      return await action(await this.connection(socket));
    } catch (err) {
      // A failed connection is dropped so the next call (the runtime may have started since) retries.
      this.dispose();
      throw new QueueInspectorError(socket, what, err);
    }
  }

  private async connection(socket: string): Promise<Redis> {
    if (this.client && this.client.options.path !== socket) this.dispose();
    if (!this.client) {
      this.client = new Redis({
        path: socket,
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        connectTimeout: 2000,
      });
      this.client.on('error', () => { /* reported by the failing call */ });
      await this.client.connect();
    }
    return this.client;
  }
}
