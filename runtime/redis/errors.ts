// Errors of the worker's Redis client: a reply error carries Redis's own message; a closed connection says so.

/**
 * An error reply from Redis (`-ERR …`, `-NOSCRIPT …`, `-MISCONF …`). Named `ReplyError`, as ioredis names its own,
 * so code that tells refusals apart (runtime/worker/redis-refusal.ts) works with either client.
 */
export class ReplyError extends Error {
  /** EXECABORT: the errors of the commands Redis refused while queuing the transaction. */
  previousErrors?: ReplyError[];
  /** The command it answered (its name; arguments left out, they can be large). */
  command?: string;

  constructor(message: string) {
    super(message);
    this.name = 'ReplyError';
  }
}

/** A command that can no longer be answered: disconnect() was called, or quit() ended the connection. */
export class ConnectionClosedError extends Error {
  constructor(what: string) {
    super(`Connection is closed. (${what})`);
    this.name = 'ConnectionClosedError';
  }
}
