// Redis's own log lines (`pid:role DD Mon YYYY HH:MM:SS.mmm <level char> message`): their time and level, so redis.log
// sorts and filters with the mflog records of the other files.
import { formatTimestamp, type LogLevel } from './record';

const REDIS_LINE = /^\d+:[XCSM] (\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}(?:\.\d{1,3})?) ([.\-*#]) /;

/** Redis's level characters: `.` debug, `-` verbose, `*` notice, `#` warning. */
const LEVELS: Record<string, LogLevel> = { '.': 'debug', '-': 'debug', '*': 'info', '#': 'warning' };

/** The time (mflog format) and level of a Redis log line; undefined for any other line. Redis writes local time. */
export function parseRedisLine(text: string): { timestamp: string; level: LogLevel } | undefined {
  const m = REDIS_LINE.exec(text);
  if (!m) return undefined;
  const date = new Date(m[1]);
  if (Number.isNaN(date.getTime())) return undefined;
  return { timestamp: formatTimestamp(date), level: LEVELS[m[2]] };
}
