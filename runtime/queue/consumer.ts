// Queue consumer: FIFO pop (BRPOP, MFDATA-compatible) on a dedicated blocking connection, unblocked without loss on stop.
import type Redis from 'ioredis';
import { connectRedis, type RedisAddress } from './connection';

/**
 * Plain BRPOP: one round trip per message, the cheapest FIFO pop measured (perf-limits §3) and what MFDATA
 * workers use. Delivery safety does not come from a Redis reliable queue: the file itself is the unit of
 * work, claimed by an atomic rename, and orphaned claims are recovered (docs/DELIVERY.md).
 */
export class QueueConsumer {
  private readonly blocking: Redis;
  private readonly control: Redis;
  private clientId: number | undefined;
  private stopping = false;

  /** `control` is an existing connection of the process, used to unblock the pop on stop. */
  constructor(address: RedisAddress, name: string, control: Redis) {
    this.control = control;
    this.blocking = connectRedis(address, { name });
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
    const reply = await this.blocking.brpop(...queues, timeoutSeconds);
    if (!reply) return undefined;
    return { queue: reply[0], raw: reply[1] };
  }

  /**
   * Makes a pending pop return. CLIENT UNBLOCK is atomic on the server: either the BRPOP already took a
   * message (and the pop resolves with it) or it returns nil. Closing the socket instead could lose a message
   * popped while the reply was in flight.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const unblocked = this.clientId === undefined ? 0 : Number(await this.control.client('UNBLOCK', this.clientId).catch(() => 0));
    // Not blocked in Redis (or reconnecting with an unknown id): a pop in flight can only be a resend; cut it.
    if (unblocked === 0) setTimeout(() => this.blocking.disconnect(), 200).unref();
  }

  async close(): Promise<void> {
    this.stopping = true;
    this.blocking.disconnect();
  }
}
