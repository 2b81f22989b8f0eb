// What a chaos scenario is: a name, the runtime it needs, and a run() that injects files and applies its fault
// through a ScenarioContext; the runner (runner.ts) then waits for quiescence and does the accounting.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isWholeWriteTemporary } from '../../runtime/util/write-whole';
import { entrySha, sha256, type InjectedFile, type Place } from './accounting';
import type { ChaosRuntime, RuntimeOptions } from './runtime';

/** `full` for `npm run chaos` (10,000 files for kills, 100,000 for overflow); `reduced` inside `npm test`. */
export type Size = 'full' | 'reduced';

export interface Scenario {
  /** Short id, unique: the report's first column, and what `npm run chaos -- <name>` selects. */
  name: string;
  /** Test file that runs it in the reduced run (test/chaos/<group>.test.ts). */
  group: string;
  /** The fault, and where files must end. */
  description: string;
  runtime?: (size: Size) => RuntimeOptions;
  /** A reason when the scenario cannot run on this machine (reported as skipped, never as passed). */
  skip?: () => string | undefined;
  run(ctx: ScenarioContext): Promise<void>;
  /** How long files may take to settle after run() returned (default 120 s; reduced runs are never slower). */
  settleMs?: (size: Size) => number;
  /** Extra checks once the runtime is quiet (before the accounting is final); a throw is a problem of the scenario. */
  verify?(ctx: ScenarioContext): Promise<void> | void;
}

export interface InjectOptions {
  /** Allowed final places (default: output only). */
  expect?: readonly Place[];
  /** Directory to write into (default: the step's inbox). */
  dir?: string;
  /** Content of each file (default: a unique line plus a size varying with the index). */
  content?: (name: string, index: number) => string | Buffer;
}

export class ScenarioContext {
  readonly injected = new Map<string, InjectedFile>();
  readonly notes: string[] = [];
  /** When the last fault ended (recovery is measured from here); default: when run() returned. */
  faultEndedAt: number | undefined;
  private seq = 0;

  constructor(readonly rt: ChaosRuntime, readonly size: Size) {}

  /** `full` or `reduced` pick of a number. */
  pick(full: number, reduced: number): number {
    return this.size === 'full' ? full : reduced;
  }

  /**
   * Writes each file the producer way (`<dir>/.chaos-N.t`, then a rename to its name) and registers it for the
   * accounting. Names must be unique over the scenario.
   */
  inject(names: readonly string[], options: InjectOptions = {}): void {
    const dir = options.dir ?? this.rt.inbox;
    fs.mkdirSync(dir, { recursive: true });
    names.forEach((name, i) => {
      if (this.injected.has(name)) throw new Error(`scenario injects '${name}' twice: names must be unique`);
      const content = options.content?.(name, i) ?? defaultContent(name, this.seq + i);
      const tmp = path.join(dir, `.chaos-${this.seq + i}.t`);
      fs.writeFileSync(tmp, content);
      fs.renameSync(tmp, path.join(dir, name));
      this.injected.set(name, { name, sha: sha256(content), expect: options.expect ?? ['output'] });
    });
    this.seq += names.length;
  }

  /**
   * Registers an entry the scenario made itself at `file` (a symbolic link, a FIFO, a directory, a file with odd
   * permissions) under `name`, the name the accounting finds it by; its fingerprint is taken now (entrySha). An
   * entry expected `in place` must still be at `file` at the end.
   */
  register(name: string, file: string, expect: readonly Place[]): void {
    if (this.injected.has(name)) throw new Error(`scenario injects '${name}' twice: names must be unique`);
    this.injected.set(name, { name, sha: entrySha(file), expect });
    if (expect.includes('in place')) this.rt.leftInPlace.set(name, file);
  }

  /** `count` names `<prefix>00000…`. */
  static names(prefix: string, count: number, from = 0): string[] {
    return Array.from({ length: count }, (_, i) => `${prefix}${String(from + i).padStart(6, '0')}`);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  faultOver(): void {
    this.faultEndedAt = Date.now();
  }

  /**
   * Calls `fault` every `everyMs` (never two at once) until the returned stop() is awaited. Errors of the fault
   * itself (a process already gone) are counted, not thrown.
   */
  every(everyMs: number, fault: () => Promise<void> | void): { stop(): Promise<number> } {
    let stopped = false;
    let count = 0;
    const loop = (async () => {
      while (!stopped) {
        await sleep(everyMs);
        if (stopped) break;
        try {
          await fault();
          count++;
        } catch {
          // the target exited meanwhile: the next tick tries again
        }
      }
    })();
    return { stop: async () => { stopped = true; await loop; return count; } };
  }

  /** Files of the output directory and trash so far (a cheap progress figure while a fault runs). */
  finishedCount(): number {
    const count = (dir: string, skip: (n: string) => boolean): number => {
      try {
        return fs.readdirSync(dir).filter((n) => !skip(n)).length;
      } catch {
        return 0;
      }
    };
    const trash = path.join(this.rt.home.inDir, 'trash');
    let n = count(this.rt.outDir, (name) => name.startsWith('.'));
    for (const file of this.rt.leftInPlace.values()) if (fs.existsSync(file)) n++;
    for (const d of fs.existsSync(trash) ? fs.readdirSync(trash) : []) n += count(path.join(trash, d), (name) => name.endsWith('.tags') || isWholeWriteTemporary(name));
    return n;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function defaultContent(name: string, i: number): string {
  return `${name}\n${'chaos payload '.repeat(1 + (i % 13))}\n`;
}

/** SIGKILL, ignoring a process that is already gone. True if a signal was sent. */
export function kill9(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
