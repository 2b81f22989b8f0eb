// Queue producer: LPUSH of MFDATA messages onto step queues, auto-pipelined, never losing a push while Redis is away.
import type Redis from 'ioredis';
import { connectRedis, type RedisAddress } from './connection';
import { encodeMessage, type QueueMessage } from './message';

export class QueueProducer {
  readonly redis: Redis;
  private pending = 0;
  private drained: Array<() => void> = [];

  constructor(address: RedisAddress, name: string, onOutage?: (err: Error) => void) {
    this.redis = connectRedis(address, { name, autoPipelining: true, onOutage });
  }

  /** Pushes one message (LPUSH, so BRPOP consumers see FIFO). Resolves once Redis has it. */
  async push(queue: string, msg: QueueMessage): Promise<void> {
    this.pending++;
    try {
      await this.redis.lpush(queue, encodeMessage(msg));
    } finally {
      if (--this.pending === 0) for (const done of this.drained.splice(0)) done();
    }
  }

  async length(queue: string): Promise<number> {
    return this.redis.llen(queue);
  }

  /** Resolves when every push issued so far has been acknowledged. */
  flush(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /**
   * Waits for outstanding pushes first (a QUIT sent right after an auto-pipelined LPUSH would overtake it), but
   * not forever when Redis is away: files whose push is abandoned here are found by the next start-up rescan.
   */
  async close(maxWaitMs = 3000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise((r) => { timer = setTimeout(r, maxWaitMs); })]);
    clearTimeout(timer);
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
