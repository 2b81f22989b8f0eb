// Which log entries to show: minimum level, plugin, step, since, and free text (plain or regex). Shared by
// `mfdata logs` and the extension's log panel.
import { levelRank, renderRecord, type LogLevel } from './record';
import type { LogEntry } from './entry';

export interface LogFilter {
  /** Minimum level (entries below it are hidden). */
  level?: LogLevel;
  plugin?: string;
  step?: string;
  /** ISO timestamp; entries before it are hidden. */
  since?: string;
  /** Free text searched in the message, logger name, context and exception (case-insensitive). */
  text?: string;
  /** Treat `text` as a regular expression. */
  regex?: boolean;
}

/** A filter's text could not be used; says which text and why. */
export class LogFilterError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'LogFilterError';
  }
}

/**
 * Compiles a filter into a predicate (the regex is compiled once, not per entry). `textOf` gives the text free-text
 * search looks at; a caller holding many entries passes a cached one.
 */
export function compileFilter(filter: LogFilter, textOf: (entry: LogEntry) => string = searchText): (entry: LogEntry) => boolean {
  const minRank = filter.level ? levelRank(filter.level) : 0;
  let matchText: ((s: string) => boolean) | undefined;
  if (filter.text) {
    if (filter.regex) {
      let re: RegExp;
      try {
        re = new RegExp(filter.text, 'i');
      } catch (err) {
        throw new LogFilterError(`invalid regular expression '${filter.text}': ${(err as Error).message}`);
      }
      matchText = (s) => re.test(s);
    } else {
      const needle = filter.text.toLowerCase();
      matchText = (s) => s.toLowerCase().includes(needle);
    }
  }
  return (entry) => {
    if (levelRank(entry.level) < minRank) return false;
    if (filter.plugin && entry.plugin !== filter.plugin) return false;
    if (filter.step && entry.step !== filter.step) return false;
    if (filter.since && entry.timestamp !== '' && entry.timestamp < filter.since) return false;
    if (matchText && !matchText(textOf(entry))) return false;
    return true;
  };
}

/** What free text is matched against: the rendered line (message, name, context, traceback), or the raw line. */
export function searchText(entry: LogEntry): string {
  return entry.record ? renderRecord(entry.record) : `${entry.file}: ${entry.raw}`;
}

const RELATIVE = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an ISO date/time (UTC unless it says otherwise), or a duration back from now (`30s`, `10m`, `2h`, `1d`). */
export function parseSince(text: string, now = Date.now()): string {
  const rel = RELATIVE.exec(text.trim());
  let ms: number;
  if (rel) ms = now - Number(rel[1]) * UNIT_MS[rel[2]];
  else {
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text.trim()) || /^\d{4}-\d{2}-\d{2}$/.test(text.trim());
    ms = Date.parse(hasZone ? text.trim() : `${text.trim()}Z`);
  }
  if (Number.isNaN(ms)) throw new LogFilterError(`--since '${text}' is neither a date/time (2026-11-27T20:00:00) nor a duration (30s, 10m, 2h, 1d)`);
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
