// The mflog JSON record: parsing and validating one line, and rendering it the way mflog prints it.

/** mflog's levels, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One mflog JSON line. Keys beyond the fixed ones are free context (`file`, `queue`, ...). */
export interface LogRecord {
  /** ISO-8601 UTC with microseconds and Z: `2026-11-27T20:41:56.355795Z`. */
  timestamp: string;
  level: LogLevel;
  /** Logger name: `mfdata.<plugin>.<step>`, `directory_observer`, `conf_monitor`, `supervisor`, ... */
  name: string;
  pid: number;
  /** The formatted message. */
  event: string;
  /** The plugin the process works for, or `#core#`. */
  plugin: string;
  step?: string;
  exception?: string;
  exception_type?: string;
  exception_file?: string;
  [key: string]: unknown;
}

/** Keys every record has, in the order mflog writes them. */
export const REQUIRED_KEYS = ['timestamp', 'level', 'name', 'pid', 'event', 'plugin'] as const;

/** Keys that never appear in the human `{k=v}` tail: shown elsewhere on the line, or JSON-only. */
const NOT_IN_CONTEXT = new Set(['timestamp', 'level', 'name', 'pid', 'event', 'plugin', 'step', 'exception', 'exception_type', 'exception_file']);

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** Numeric rank of a level (debug=0 ... critical=4); accepts any case and `warn`. */
export function levelRank(level: string): number {
  const lower = level.toLowerCase();
  return LOG_LEVELS.indexOf((lower === 'warn' ? 'warning' : lower) as LogLevel);
}

/** Every way `value` departs from the mflog record contract; empty when it is a valid record. */
export function recordProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['not a JSON object'];
  const r = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of REQUIRED_KEYS) if (!(key in r)) problems.push(`missing key '${key}'`);
  if ('timestamp' in r && (typeof r.timestamp !== 'string' || !TIMESTAMP.test(r.timestamp))) {
    problems.push(`timestamp ${JSON.stringify(r.timestamp)} is not ISO UTC with microseconds and Z`);
  }
  if ('level' in r && !isLogLevel(r.level)) problems.push(`level ${JSON.stringify(r.level)} is not one of ${LOG_LEVELS.join('/')}`);
  if ('name' in r && (typeof r.name !== 'string' || r.name === '')) problems.push('name is not a non-empty string');
  if ('pid' in r && !(typeof r.pid === 'number' && Number.isInteger(r.pid) && r.pid > 0)) problems.push('pid is not a positive integer');
  if ('event' in r && typeof r.event !== 'string') problems.push('event is not a string');
  if ('plugin' in r && (typeof r.plugin !== 'string' || r.plugin === '')) problems.push('plugin is not a non-empty string');
  const exceptionKeys = ['exception', 'exception_type', 'exception_file'].filter((k) => k in r);
  if (exceptionKeys.length > 0 && exceptionKeys.length < 3) problems.push(`exception keys come together; only ${exceptionKeys.join(', ')} present`);
  for (const k of exceptionKeys) if (typeof r[k] !== 'string') problems.push(`${k} is not a string`);
  return problems;
}

/** Parses one line. Returns undefined for anything that is not a JSON object with at least a timestamp and an event. */
export function parseRecord(line: string): LogRecord | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r.timestamp !== 'string' || typeof r.event !== 'string') return undefined;
  // Lenient on the rest so a record from an older or foreign writer still shows up.
  const rank = levelRank(String(r.level ?? ''));
  return {
    ...r,
    timestamp: r.timestamp,
    level: rank >= 0 ? LOG_LEVELS[rank] : 'info',
    name: typeof r.name === 'string' ? r.name : '',
    pid: typeof r.pid === 'number' ? r.pid : 0,
    event: r.event,
    plugin: typeof r.plugin === 'string' ? r.plugin : '#core#',
  };
}

/** The plugin and step a record belongs to: explicit keys first, else from an `mfdata.<plugin>.<step>` name. */
export function recordOrigin(record: LogRecord): { plugin?: string; step?: string } {
  let plugin = record.plugin && record.plugin !== '#core#' ? record.plugin : undefined;
  let step = typeof record.step === 'string' && record.step !== '' ? record.step : undefined;
  const m = /^mfdata\.([^.]+)\.(.+)$/.exec(record.name);
  if (m) {
    plugin ??= m[1];
    step ??= m[2];
  }
  return { plugin, step };
}

function contextValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The context keys of a record (everything not shown elsewhere), sorted: `k=v k2=v2`. */
export function renderContext(record: LogRecord): string {
  return Object.keys(record)
    .filter((k) => !NOT_IN_CONTEXT.has(k))
    .sort()
    .map((k) => `${k}=${contextValue(record[k])}`)
    .join(' ');
}

/**
 * mflog's human line: `<ts> <[LEVEL] right-aligned to 10> (<name>#<pid>) <message>[ {k=v sorted}]`,
 * then the traceback lines when the record carries an exception.
 */
export function renderRecord(record: LogRecord): string {
  const level = `[${record.level.toUpperCase()}]`.padStart(10);
  const context = renderContext(record);
  let line = `${record.timestamp} ${level} (${record.name}#${record.pid}) ${record.event}${context ? ` {${context}}` : ''}`;
  if (typeof record.exception === 'string' && record.exception !== '') line += `\n${record.exception.replace(/\n+$/, '')}`;
  return line;
}

/** Formats a Date the way mflog stamps records (JS has milliseconds; the microseconds are zero-padded). */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Milliseconds since the epoch of a record timestamp (NaN when unparsable). */
export function timestampMs(timestamp: string): number {
  return Date.parse(timestamp);
}
