// Scavenges the young generation between files when the queue is drained, so V8 does not do it in the middle of a claim.
//
// Why: a worker runs with a 1 MB semi-space (WORKER_NODE_FLAGS) and allocates some tens of KB per file (pop reply,
// claim arguments and reply, promises), so V8 scavenges every few dozen files, wherever the allocation that fills the
// space happens to be: at 200 files/s, ~4 % of the files had a scavenge between their rename into the inbox and
// their process(), 0.3–3 ms each: a p99 effect (docs/BENCHMARKS.md, third round). When the previous pop did not fill
// up (the queue was drained), the worker is about to wait anyway: scavenging there, once the young generation is half
// full, costs the same collections but outside any file's path. Under a backlog (full pops) V8 is left alone.
import { getHeapSpaceStatistics } from 'node:v8';

/** Scavenge between files once the young generation is this full (a file's own allocation then never fills it). */
export const SCAVENGE_AT_FRACTION = 0.5;

export class BetweenFilesGc {
  /** Scavenges made (for tests and diagnostics). */
  scavenges = 0;

  /** `minor`: V8's scavenge (takeGc().minor); none = nothing to do (no --expose-gc). */
  constructor(private readonly minor: (() => void) | undefined, private readonly fraction = SCAVENGE_AT_FRACTION) {}

  /** Called before a pop that will probably wait: scavenges now if the young generation is past the fraction. */
  beforeIdlePop(): void {
    if (this.minor === undefined) return;
    const young = newSpace();
    if (young === undefined || young.used < this.fraction * young.capacity) return;
    this.scavenges++;
    this.minor();
  }
}

function newSpace(): { used: number; capacity: number } | undefined {
  for (const s of getHeapSpaceStatistics()) {
    if (s.space_name === 'new_space') return { used: s.space_used_size, capacity: s.space_used_size + s.space_available_size };
  }
  return undefined;
}
