// Retry timing of the reinject step: MFDATA's wait = min(min_wait + backoff·2^(attempt−1), max_wait).

export interface RetryPolicy {
  /** Attempts after the first failure (`retry_total`); 0 disables retries. */
  total: number;
  minWait: number;
  maxWait: number;
  backoff: number;
}

export class RetryPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryPolicyError';
  }
}

export function validateRetryPolicy(p: RetryPolicy): void {
  for (const [key, v] of [['retry_total', p.total], ['retry_min_wait', p.minWait], ['retry_max_wait', p.maxWait], ['retry_backoff', p.backoff]] as const) {
    if (!Number.isFinite(v) || v < 0) throw new RetryPolicyError(`${key} = ${v}: must be a number ≥ 0`);
  }
  if (p.maxWait < p.minWait) throw new RetryPolicyError(`retry_max_wait (${p.maxWait}) must be ≥ retry_min_wait (${p.minWait})`);
}

/** Seconds to wait before retry number `attempt` (1 = the first retry). */
export function retryDelay(p: RetryPolicy, attempt: number): number {
  if (attempt < 1) throw new RetryPolicyError(`attempt ${attempt}: attempts count from 1`);
  return Math.min(p.minWait + p.backoff * 2 ** (attempt - 1), p.maxWait);
}

/** What to do with a file that failed `attemptsSoFar` retries already: retry after a delay, or give up. */
export function nextRetry(p: RetryPolicy, attemptsSoFar: number): { action: 'retry'; attempt: number; delaySeconds: number } | { action: 'give_up' } {
  if (attemptsSoFar >= p.total) return { action: 'give_up' };
  const attempt = attemptsSoFar + 1;
  return { action: 'retry', attempt, delaySeconds: retryDelay(p, attempt) };
}
