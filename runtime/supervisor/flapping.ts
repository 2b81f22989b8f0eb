// Flapping detection: too many unexpected exits within a sliding window put a watcher in `failed`.

export interface FlappingPolicy {
  /** This many unexpected exits ... */
  exits: number;
  /** ... within this many seconds mark the watcher failed. */
  windowSeconds: number;
}

export const DEFAULT_FLAPPING: FlappingPolicy = { exits: 5, windowSeconds: 60 };

export interface FlappingVerdict {
  /** Exit times (unix ms) still inside the window, including the new one. */
  history: number[];
  flapping: boolean;
}

/** Records an unexpected exit at `at` (unix ms) and says whether the watcher is now flapping. */
export function recordExit(history: readonly number[], at: number, policy: FlappingPolicy = DEFAULT_FLAPPING): FlappingVerdict {
  const since = at - policy.windowSeconds * 1000;
  const kept = history.filter((t) => t > since);
  kept.push(at);
  return { history: kept, flapping: kept.length >= policy.exits };
}
