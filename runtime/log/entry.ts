// A line of a log file as shown to people: an mflog record, or a raw line (a crashing process's stderr) placed
// after the record before it in the same file, so it sorts and filters with the process that wrote it.
import * as path from 'node:path';
import { parseRecord, recordOrigin, type LogLevel, type LogRecord } from './record';

export interface LogEntry {
  /** Sort key: the record's timestamp, or the one of the record before a raw line ('' when none yet). */
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

  decode(text: string): LogEntry | undefined {
    if (text.trim() === '') return undefined;
    const record = parseRecord(text);
    if (record) {
      const { plugin, step } = recordOrigin(record);
      this.last = { timestamp: record.timestamp, plugin, step };
      return { timestamp: record.timestamp, level: record.level, plugin, step, file: this.file, record, raw: text };
    }
    // Raw output (a traceback printed by a dying process, a library writing to stderr) counts as an error.
    return { timestamp: this.last.timestamp, level: 'error', plugin: this.last.plugin, step: this.last.step, file: this.file, raw: text };
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
