// mflog-style JSON-lines logger: one JSON object per line on stdout, as every MFDATA process writes.
import * as path from 'node:path';
import { inspect } from 'node:util';
import { minimalLevel } from './levels';
import { loadOverrides, type LevelOverride } from './overrides';

export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warning: 30, error: 40, critical: 50 };

/** Extra keys of a record: plain JSON values (plugin, step, file, …), or lists of them (conf_monitor's changed files). */
export type LogFieldValue = string | number | boolean | null;
export type LogFields = Record<string, LogFieldValue | readonly LogFieldValue[] | undefined>;

export interface Logger {
  readonly name: string;
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warning(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  critical(event: string, fields?: LogFields): void;
  /** An error record with `exception` (stack), `exception_type` and `exception_file` (first frame's file:line). */
  exception(event: string, err: unknown, fields?: LogFields, level?: LogLevel): void;
  /** A logger with more fields bound to every record. */
  child(fields: LogFields): Logger;
  isEnabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  /** Records below this level are dropped (default: MFLOG_MINIMAL_LEVEL, else info). A matching override wins. */
  minimalLevel?: LogLevel;
  /** A step's `debug=1`: log at debug (a matching override still wins, as in mflog). */
  debug?: boolean;
  /** `pattern => LEVEL` rules (default: `$MFDATA_HOME/config/mflog_override.conf`, read once per process). */
  overrides?: readonly LevelOverride[];
  /** Where lines go (default: process.stdout). */
  write?: (line: string) => void;
}

/** Parses `DEBUG`, `info`, `WARNING`… (MFLOG_MINIMAL_LEVEL); undefined when unknown. */
export function parseLogLevel(text: string | undefined): LogLevel | undefined {
  const lower = (text ?? '').trim().toLowerCase();
  if (lower === 'warn') return 'warning';
  return lower in LEVEL_RANK ? (lower as LogLevel) : undefined;
}

/** ISO-8601 UTC with microseconds and Z: 2026-11-27T21:30:39.123456Z (default: now). */
export function mflogTimestamp(epochMs: number = performance.timeOrigin + performance.now()): string {
  const iso = new Date(Math.floor(epochMs)).toISOString(); // …T21:30:39.123Z
  const micros = Math.floor((epochMs * 1000) % 1000);
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/** First stack frame outside node internals, as `file:line`, for `exception_file`. */
export function exceptionFile(err: unknown): string | undefined {
  const stack = err instanceof Error ? err.stack ?? '' : '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:\/|[A-Za-z]:\\|file:\/\/)[^()]*?):(\d+):\d+\)?\s*$/.exec(line.trim());
    if (m && !m[1].startsWith('node:')) return `${m[1]}:${m[2]}`;
  }
  return undefined;
}

/** Keys every record owns; a context field of the same name is kept as `ctx_<key>` instead of replacing them. */
const RECORD_KEYS: ReadonlySet<string> = new Set(['timestamp', 'level', 'name', 'pid', 'event']);

function put(record: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) record[RECORD_KEYS.has(key) ? `ctx_${key}` : key] = value;
}

class JsonLogger implements Logger {
  constructor(
    readonly name: string,
    private readonly fields: LogFields,
    private readonly rank: number,
    private readonly write: (line: string) => void,
  ) {}

  isEnabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= this.rank;
  }

  private emit(level: LogLevel, event: string, extra?: LogFields): void {
    if (LEVEL_RANK[level] < this.rank) return;
    const record: Record<string, unknown> = { timestamp: mflogTimestamp(), level, name: this.name, pid: process.pid, event };
    for (const [k, v] of Object.entries(this.fields)) put(record, k, v);
    if (extra) for (const [k, v] of Object.entries(extra)) put(record, k, v);
    this.write(JSON.stringify(record) + '\n');
  }

  debug(event: string, fields?: LogFields): void { this.emit('debug', event, fields); }
  info(event: string, fields?: LogFields): void { this.emit('info', event, fields); }
  warning(event: string, fields?: LogFields): void { this.emit('warning', event, fields); }
  error(event: string, fields?: LogFields): void { this.emit('error', event, fields); }
  critical(event: string, fields?: LogFields): void { this.emit('critical', event, fields); }

  exception(event: string, err: unknown, fields?: LogFields, level: LogLevel = 'error'): void {
    const isError = err instanceof Error;
    this.emit(level, event, {
      ...fields,
      exception: isError ? err.stack ?? String(err) : inspect(err),
      exception_type: isError ? err.constructor.name : typeof err,
      exception_file: exceptionFile(err),
    });
  }

  child(fields: LogFields): Logger {
    return new JsonLogger(this.name, { ...this.fields, ...fields }, this.rank, this.write);
  }
}

/** A logger named like MFDATA's (`mfdata.<plugin>.<step>`, `directory_observer`, …). */
export function createLogger(name: string, fields: LogFields = {}, options: LoggerOptions = {}): Logger {
  const level = minimalLevel({
    loggerName: name,
    overrides: options.overrides ?? homeOverrides(),
    debug: options.debug,
    envLevel: options.minimalLevel ?? process.env.MFLOG_MINIMAL_LEVEL,
  });
  const write = options.write ?? ((line: string) => { process.stdout.write(line); });
  // Every record names its plugin; core processes say `#core#`, as MetWork's extra context does.
  return new JsonLogger(name, { plugin: '#core#', ...fields }, LEVEL_RANK[level], write);
}

let cachedOverrides: readonly LevelOverride[] | undefined;

/** The operator's per-logger levels of this home; a malformed file is reported once on stderr and ignored. */
function homeOverrides(): readonly LevelOverride[] {
  if (cachedOverrides) return cachedOverrides;
  const home = process.env.MFDATA_HOME;
  try {
    cachedOverrides = home ? loadOverrides(path.join(home, 'config')) : [];
  } catch (err) {
    process.stderr.write(`mflog: ${err instanceof Error ? err.message : String(err)}; overrides ignored\n`);
    cachedOverrides = [];
  }
  return cachedOverrides;
}
