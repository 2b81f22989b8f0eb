// Queue consumer: FIFO pop (BRPOP, MFDATA-compatible) on a dedicated blocking connection, unblocked without loss on stop.
import type { RedisAddress } from '../redis/address';
import type { LeanRedis } from '../redis/client';
import { connectLeanRedis } from '../redis/connect';
import type { DataRedis } from '../redis/types';

/**
 * Plain BRPOP: one round trip per message, the cheapest FIFO pop measured (perf-limits §3) and what MFDATA
 * workers use. Delivery safety does not come from a Redis reliable queue: the file itself is the unit of
 * work, claimed by an atomic rename, and orphaned claims are recovered (docs/DELIVERY.md).
 * Under a backlog, `popSome` takes up to N messages in the same single round trip (BLMPOP … COUNT N), so a
 * busy worker pays one pop for N files; an idle one blocks and makes no wake-ups.
 */
export class QueueConsumer {
  /** Our own client (runtime/redis): the consumer lives in step workers, whose bundle holds no ioredis. */
  private readonly blocking: LeanRedis;
  private readonly control: DataRedis;
  private clientId: number | undefined;
  private stopping = false;
  /** BLMPOP is available (Redis ≥ 7.0). */
  private multiPop = true;

  /** `control` is an existing connection of the process, used to unblock the pop on stop. */
  constructor(address: RedisAddress, name: string, control: DataRedis) {
    this.control = control;
    this.blocking = connectLeanRedis(address, { name });
    // The id changes on every reconnect; it is needed to unblock a pending BRPOP.
    this.blocking.on('close', () => { this.clientId = undefined; });
  }

  /**
   * Pops the oldest message of the first non-empty queue, waiting up to `timeoutSeconds` (0 = forever: an
   * idle worker makes no wake-ups at all). Returns undefined on timeout or when stopped.
   */
  async pop(queues: string[], timeoutSeconds: number): Promise<{ queue: string; raw: string } | undefined> {
    if (this.stopping) return undefined;
    if (this.clientId === undefined) this.clientId = Number(await this.blocking.client('ID'));
    if (this.stopping) return undefined;
    const reply = (await this.blocking.call('BRPOP', ...queues, timeoutSeconds)) as [string, string] | null;
    if (!reply) return undefined;
    return { queue: reply[0], raw: reply[1] };
  }

  /**
   * Up to `max` messages, oldest first, in one round trip: BLMPOP (Redis ≥ 7) blocks only while the queue is
   * empty (`timeoutSeconds`, 0 = forever) and otherwise returns what is there, up to `max`. On an older Redis
   * it falls back to BRPOP, one message at a time.
   */
  async popSome(queue: string, max: number, timeoutSeconds: number): Promise<string[]> {
    if (this.stopping) return [];
    if (max <= 1 || !this.multiPop) {
      const one = await this.pop([queue], timeoutSeconds);
      return one ? [one.raw] : [];
    }
    if (this.clientId === undefined) this.clientId = Number(await this.blocking.client('ID'));
    if (this.stopping) return [];
    try {
      const reply = (await this.blocking.call('BLMPOP', String(timeoutSeconds), '1', queue, 'RIGHT', 'COUNT', String(max))) as [string, string[]] | null;
      return reply ? reply[1] : [];
    } catch (err) {
      if (!/unknown command|ERR unknown/i.test((err as Error).message)) throw err;
      this.multiPop = false;
      return this.popSome(queue, 1, timeoutSeconds);
    }
  }

  /** Puts popped but unhandled messages back at the head of the queue (they are the next ones popped). */
  async giveBack(queue: string, raws: string[]): Promise<void> {
    if (raws.length > 0) await this.control.rpush(queue, ...[...raws].reverse());
  }

  /**
   * Makes a pending pop return. CLIENT UNBLOCK is atomic on the server: either the BRPOP already took a
   * message (and the pop resolves with it) or it returns nil. Closing the socket instead could lose a message
   * popped while the reply was in flight.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const unblocked = this.clientId === undefined ? 0 : Number(await this.control.call('CLIENT', 'UNBLOCK', this.clientId).catch(() => 0));
    // Not blocked in Redis (or reconnecting with an unknown id): a pop in flight can only be a resend; cut it.
    if (unblocked === 0) setTimeout(() => this.blocking.disconnect(), 200).unref();
  }

  async close(): Promise<void> {
    this.stopping = true;
    this.blocking.disconnect();
  }
}
