// Waiting in benchmarks: on a condition with a deadline (never a fixed sleep standing in for one), and directory checks.
import * as fs from 'node:fs';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `predicate` every `everyMs` until true; throws naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`benchmark: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Entries of a directory other than `except`, reading at most `limit` of them (cheap on a 20,000-file inbox). */
export function entriesBeyond(dir: string, except: ReadonlySet<string>, limit = 1): number {
  let d: fs.Dir;
  try {
    d = fs.opendirSync(dir);
  } catch {
    return 0;
  }
  let n = 0;
  try {
    for (let e = d.readSync(); e !== null && n < limit; e = d.readSync()) if (!except.has(e.name)) n++;
  } finally {
    d.closeSync();
  }
  return n;
}

/** The directory holds nothing (but `except`). */
export function isEmptyDir(dir: string, except: ReadonlySet<string> = new Set()): boolean {
  return entriesBeyond(dir, except) === 0;
}
