// Retries a Redis write that the server refused while connected (MISCONF: its append-only file cannot be written, a full
// disk; OOM: maxmemory with noeviction) until it is accepted: a claim must not be stranded in tmp/ by a refusal.

/**
 * True for the replies of a Redis that is up but refuses writes for now, including a MULTI/EXEC discarded whole
 * (EXECABORT) because its commands were refused (ioredis lists their errors in `previousErrors`).
 */
export function isWriteRefusal(err: unknown): boolean {
  if (!(err instanceof Error) || err.name !== 'ReplyError') return false;
  if (/^(MISCONF|OOM)\b/.test(err.message)) return true;
  const previous = (err as Error & { previousErrors?: unknown[] }).previousErrors;
  return err.message.startsWith('EXECABORT') && Array.isArray(previous) && previous.some(isWriteRefusal);
}

const FIRST_WAIT_MS = 100;
const LONGEST_WAIT_MS = 5000;

/**
 * Runs `fn` again (100 ms doubling to 5 s) while it fails with a write refusal and `stopping()` is false; any other
 * error, or a refusal once stopping, is thrown. `onRefused` is told once. Why: a worker that gave up there left its
 * claim in tmp/, where only the start of another worker recovers it — with a live worker, never.
 */
export async function whileRefused<T>(fn: () => Promise<T>, stopping: () => boolean, onRefused: (err: Error) => void): Promise<T> {
  let wait = FIRST_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isWriteRefusal(err) || stopping()) throw err;
      if (!told) onRefused(err as Error);
      told = true;
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, LONGEST_WAIT_MS);
    }
  }
}
