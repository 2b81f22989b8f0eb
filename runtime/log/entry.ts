// A line of a log file as shown to people: an mflog record, a Redis line (its own time and level), or a raw line (a
// crashing process's stderr) placed after the record before it in the same file, so it sorts and filters with it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LogLine } from './follow';
import { formatTimestamp, parseRecord, recordOrigin, type LogLevel, type LogRecord } from './record';
import { parseRedisLine } from './redis-line';

export interface LogEntry {
  /** Sort key: the record's timestamp, or the one of the record before a raw line (see decodeLines when none). */
  timestamp: string;
  level: LogLevel;
  plugin?: string;
  step?: string;
  /** Base name of the live log file the line came from (`step_ingest_convert.log`). */
  file: string;
  /** Present for mflog records. */
  record?: LogRecord;
  /** The line as written. */
  raw: string;
}

/** Turns the lines of ONE file into entries, remembering the last record's context for the raw lines after it. */
export class EntryDecoder {
  private last: { timestamp: string; plugin?: string; step?: string } = { timestamp: '' };
  private readonly file: string;

  constructor(file: string) {
    this.file = path.basename(file);
  }

  /** One line; a raw line with no record before it in the file gets the timestamp '' (decodeLines places it). */
  decode(text: string): LogEntry | undefined {
    if (text.trim() === '') return undefined;
    const record = parseRecord(text);
    if (record) {
      const { plugin, step } = recordOrigin(record);
      this.last = { timestamp: record.timestamp, plugin, step };
      return { timestamp: record.timestamp, level: record.level, plugin, step, file: this.file, record, raw: text };
    }
    // redis.log: Redis stamps its lines itself, with a level.
    const redis = parseRedisLine(text);
    if (redis) {
      this.last = { timestamp: redis.timestamp };
      return { timestamp: redis.timestamp, level: redis.level, file: this.file, raw: text };
    }
    // Raw output (a traceback printed by a dying process, a library writing to stderr) counts as an error.
    return { timestamp: this.last.timestamp, level: 'error', plugin: this.last.plugin, step: this.last.step, file: this.file, raw: text };
  }

  /**
   * Lines read from the file in one go. Raw lines with no record before them in the file (a start-up banner) take the
   * time of the next record among these lines, else `fileTime()`, the file's modification time: they were written
   * before both, and so a `--since` hides them once they are old.
   */
  decodeLines(texts: readonly string[], fileTime: () => string): LogEntry[] {
    const out: LogEntry[] = [];
    let unplaced: LogEntry[] = [];
    for (const text of texts) {
      const entry = this.decode(text);
      if (!entry) continue;
      out.push(entry);
      if (entry.timestamp === '') unplaced.push(entry);
      else if (unplaced.length > 0) {
        for (const e of unplaced) e.timestamp = entry.timestamp;
        unplaced = [];
      }
    }
    if (unplaced.length > 0) {
      const time = fileTime();
      for (const e of unplaced) e.timestamp = time;
    }
    return out;
  }
}

/** The entries of one LogDirFollower read (one batch per file); `decoders` (one per live file) is kept across reads. */
export function decodeBatches(decoders: Map<string, EntryDecoder>, batches: readonly LogLine[][]): LogEntry[][] {
  return batches.map((lines) => {
    if (lines.length === 0) return [];
    const file = lines[0].file;
    let decoder = decoders.get(file);
    if (!decoder) decoders.set(file, (decoder = new EntryDecoder(file)));
    return decoder.decodeLines(lines.map((l) => l.text), () => modificationTime(lines[lines.length - 1].source));
  });
}

function modificationTime(file: string): string {
  try {
    return formatTimestamp(fs.statSync(file).mtime);
  } catch {
    return formatTimestamp(new Date()); // gone meanwhile (rotated away): it was written until now at the latest
  }
}

/** Merges per-file lists (each already in file order) into one list ordered by timestamp, stable within a file. */
export function mergeByTimestamp(lists: readonly LogEntry[][]): LogEntry[] {
  const heads = lists.map(() => 0);
  const merged: LogEntry[] = [];
  const total = lists.reduce((n, l) => n + l.length, 0);
  while (merged.length < total) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      if (heads[i] >= lists[i].length) continue;
      if (best === -1 || lists[i][heads[i]].timestamp < lists[best][heads[best]].timestamp) best = i;
    }
    merged.push(lists[best][heads[best]++]);
  }
  return merged;
}
