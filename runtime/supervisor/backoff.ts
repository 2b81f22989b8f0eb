// Respawn delays: exponential backoff between the restarts of a crashing process, capped.

export interface BackoffPolicy {
  /** Delay before the first respawn after a quick exit, in seconds. */
  initialSeconds: number;
  /** The delay never grows beyond this, in seconds. */
  maxSeconds: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialSeconds: 0.1, maxSeconds: 30 };

/**
 * A process that lived at least this long is considered healthy again: its next exit starts the
 * backoff from the beginning instead of doubling the previous delay.
 */
export const STABLE_AFTER_MS = 10_000;

/** Delay before respawn number `attempt` (0 = first respawn after a healthy run), in milliseconds. */
export function respawnDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, Math.floor(attempt));
  const seconds = Math.min(policy.maxSeconds, policy.initialSeconds * 2 ** Math.min(exponent, 30));
  return Math.round(seconds * 1000);
}

/** The attempt number for the next respawn, given how long the process that just exited lived. */
export function nextAttempt(previousAttempt: number, livedMs: number): number {
  return livedMs >= STABLE_AFTER_MS ? 0 : previousAttempt + 1;
}
