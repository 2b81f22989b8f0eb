// Follows every live log file of `<home>/log/` at once, picking up files that appear later.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LogFollower, type FollowPosition, type LogLine } from './follow';
import { isRotatedName } from './rotated-files';

export interface DirFollowOptions {
  /** Where files present now start: all history (rotated siblings first), their end, or their last bytes. Files that appear later are read whole. */
  start: 'history' | 'end' | { tailBytes: number } | { historySince: number };
  /** Saved positions by live file path (they win over `start`). */
  positions?: Record<string, FollowPosition>;
  /** Live files to leave out (by base name), e.g. the shipper's own log. */
  exclude?: (name: string) => boolean;
}

/** The live log files of a directory (rotated siblings left out), sorted by name. */
export function liveLogFiles(dir: string, exclude?: (name: string) => boolean): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => !n.startsWith('.') && !isRotatedName(n) && !(exclude?.(n) ?? false))
    .filter((n) => {
      try {
        return fs.statSync(path.join(dir, n)).isFile();
      } catch {
        return false;
      }
    })
    .sort()
    .map((n) => path.join(dir, n));
}

export class LogDirFollower {
  private readonly followers = new Map<string, LogFollower>();
  private first = true;
  private turn = 0;

  constructor(readonly dir: string, private readonly options: DirFollowOptions) {}

  /** New whole lines of every file, file by file (each file's lines in order), at most `maxPerFile` per file. */
  read(maxPerFile = Infinity): LogLine[][] {
    this.discover();
    return [...this.followers.values()].map((f) => f.read(maxPerFile));
  }

  /** At most `maxTotal` new lines over all files, starting with a different file each call so none starves. */
  readUpTo(maxTotal: number): LogLine[] {
    this.discover();
    const all = [...this.followers.values()];
    const out: LogLine[] = [];
    for (let i = 0; i < all.length && out.length < maxTotal; i++) {
      const f = all[(this.turn + i) % all.length];
      out.push(...f.read(maxTotal - out.length));
    }
    this.turn = all.length === 0 ? 0 : (this.turn + 1) % all.length;
    return out;
  }

  /** Positions to persist, by live file path. */
  positions(): Record<string, FollowPosition> {
    const out: Record<string, FollowPosition> = {};
    for (const [file, f] of this.followers) {
      const p = f.position();
      if (p) out[file] = p;
    }
    return out;
  }

  close(): void {
    for (const f of this.followers.values()) f.close();
    this.followers.clear();
  }

  private discover(): void {
    for (const file of liveLogFiles(this.dir, this.options.exclude)) {
      if (this.followers.has(file)) continue;
      const saved = this.options.positions?.[file];
      const start = saved ?? (this.first ? this.options.start : 'history');
      this.followers.set(file, new LogFollower(file, start));
    }
    this.first = false;
  }
}
