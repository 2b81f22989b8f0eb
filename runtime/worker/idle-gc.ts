// Gives memory back when a worker goes idle: one full GC once the queue has stayed empty for a moment after work.
//
// Why: V8 grows the old generation during a burst (objects promoted out of the 1 MB young generation) and keeps the
// pages committed while the worker sleeps in its blocking pop; an idle worker runs no JavaScript, so V8's own memory
// reducer rarely gets to shrink it. Measured (docs/BENCHMARKS.md): two full GCs of an idle worker take 5–12 ms and
// bring its RSS from ~71 MB back to ~63 MB after bursts (old space 16 MB committed → 6.7 MB), 61 → 57 MB after start. `gc` exists only under --expose-gc
// (WORKER_NODE_FLAGS); the worker takes it off the global object so step code does not see it.

/** How long the queue must stay empty before the worker collects. */
export const IDLE_GC_DELAY_MS = 1000;
/** Files processed since the last collection that make the next idle moment worth a GC (the first idle moment after start always is). */
export const IDLE_GC_MIN_FILES = 100;

type Collect = () => void;

/** V8's collectors, taken off the global object: `full` (two mark-compacts, see takeGc) and `minor` (one scavenge). */
export interface GcFunctions {
  full: Collect;
  minor: Collect;
}

/**
 * Takes V8's `gc` function off the global object (present only under --expose-gc); undefined without the flag.
 * V8 defines it non-configurable but writable: it cannot be deleted, only overwritten.
 */
export function takeGc(): GcFunctions | undefined {
  const holder = globalThis as { gc?: unknown };
  const gc = holder.gc;
  if (typeof gc !== 'function') return undefined;
  holder.gc = undefined;
  const v8gc = gc as (options?: { type: 'minor' | 'major' }) => void;
  return {
    // Two full GCs: the first frees the objects, but V8 gives the emptied old-space pages back only at the next one
    // (measured: old space 12.2 MB committed after one, 7.2 MB after the second; RSS −5 MB more).
    full: () => {
      v8gc();
      v8gc();
    },
    minor: () => v8gc({ type: 'minor' }),
  };
}

/**
 * The worker calls `waiting()` before each pop and `resumed(files)` when it returns. A pop that is still pending
 * after IDLE_GC_DELAY_MS means the queue is empty: collect then, if the start-up or enough files left garbage.
 * Under a backlog the timer is armed and cleared once per pop (per 16 files), never fires, and costs no GC.
 */
export class IdleGc {
  private timer: NodeJS.Timeout | undefined;
  /** Files since the last collection; starts high so the start-up garbage (config, step loading) goes at the first idle moment. */
  private files = IDLE_GC_MIN_FILES;
  /** Collections made (for tests and diagnostics). */
  collections = 0;

  /** `onCollected` hears each collection with its duration in ms (the worker logs it at debug level). */
  constructor(private readonly collect: Collect | undefined, private readonly onCollected?: (ms: number) => void, private readonly delayMs = IDLE_GC_DELAY_MS) {}

  waiting(): void {
    if (this.collect === undefined || this.timer !== undefined || this.files < IDLE_GC_MIN_FILES) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.files = 0;
      this.collections++;
      const started = performance.now();
      (this.collect as Collect)();
      this.onCollected?.(performance.now() - started);
    }, this.delayMs);
    // Never what keeps a stopping worker alive.
    this.timer.unref();
  }

  resumed(files: number): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.files += files;
  }

  close(): void {
    this.resumed(0);
  }
}
