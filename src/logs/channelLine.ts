// How a log entry is written to the MFDATA LogOutputChannel: mflog level -> channel level, `[plugin/step]` as the
// category the Output view filters on, then the message and context like mflog's human line.
import type { LogEntry } from '../../runtime/log/entry';
import { renderContext } from '../../runtime/log/record';

export type ChannelLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface ChannelLine {
  level: ChannelLevel;
  text: string;
}

const LEVELS: Record<LogEntry['level'], ChannelLevel> = { debug: 'debug', info: 'info', warning: 'warn', error: 'error', critical: 'error' };

/** The category: `plugin/step`, `plugin`, or the logger name of a core process (`directory_observer`). */
export function channelCategory(entry: LogEntry): string {
  if (entry.plugin) return entry.step ? `${entry.plugin}/${entry.step}` : entry.plugin;
  return entry.record?.name || entry.file;
}

export function channelLine(entry: LogEntry): ChannelLine {
  const category = `[${channelCategory(entry)}]`;
  const r = entry.record;
  if (!r) return { level: 'error', text: `${category} ${entry.file}: ${entry.raw}` };
  const context = renderContext(r);
  let text = `${category} ${r.event}${context ? ` {${context}}` : ''} (${r.name}#${r.pid})`;
  if (typeof r.exception === 'string' && r.exception !== '') text += `\n${r.exception.replace(/\n+$/, '')}`;
  // mflog has no trace level; a critical record is an error with its level kept visible.
  if (r.level === 'critical') text = `${category} CRITICAL ${text.slice(category.length + 1)}`;
  return { level: LEVELS[r.level], text };
}
