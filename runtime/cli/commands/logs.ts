// `mfdata logs`: every log file of the home merged by timestamp, filtered, rendered like mflog; `-f` follows.
import { UsageError, type ParsedArgs } from '../args';
import type { CliContext, Command } from '../command';
import { runtimeHome } from '../../home';
import { LogDirFollower } from '../../log/dir-follower';
import { decodeBatches, mergeByTimestamp, type EntryDecoder, type LogEntry } from '../../log/entry';
import { compileFilter, LogFilterError, parseSince, type LogFilter } from '../../log/filter';
import { levelRank, LOG_LEVELS, renderRecord, type LogLevel } from '../../log/record';

const POLL_MS = 100;

function filterFrom(args: ParsedArgs): LogFilter {
  const str = (k: string) => (typeof args.options[k] === 'string' ? (args.options[k] as string) : undefined);
  const filter: LogFilter = { plugin: str('plugin'), step: str('step'), text: str('grep'), regex: args.options.regex === true };
  const level = str('level');
  if (level !== undefined) {
    const rank = levelRank(level);
    if (rank < 0) throw new UsageError(`--level '${level}' is not one of ${LOG_LEVELS.join(', ')}`);
    filter.level = LOG_LEVELS[rank] as LogLevel;
  }
  const since = str('since');
  try {
    if (since !== undefined) filter.since = parseSince(since);
    compileFilter(filter);
  } catch (err) {
    if (err instanceof LogFilterError) throw new UsageError(err.message);
    throw err;
  }
  return filter;
}

/** One entry as printed: mflog's human line, a raw line prefixed by its file, or JSON. */
export function formatEntry(entry: LogEntry, json: boolean): string {
  if (json) return entry.record ? JSON.stringify(entry.record) : JSON.stringify({ file: entry.file, raw: entry.raw });
  return entry.record ? renderRecord(entry.record) : `${entry.file}: ${entry.raw}`;
}

export const logsCommand: Command = {
  path: ['logs'],
  summary: 'show the runtime logs (every file of <home>/log merged by timestamp); -f follows',
  usage: 'logs [-f] [--plugin P] [--step S] [--level L] [--since T] [--grep TEXT [--regex]] [--json]',
  options: [
    { name: 'follow', alias: 'f', description: 'keep printing new lines as they are written (Ctrl-C to stop)' },
    { name: 'plugin', value: true, description: 'only records of this plugin' },
    { name: 'step', value: true, description: 'only records of this step' },
    { name: 'level', value: true, description: 'minimum level: debug, info, warning, error, critical' },
    { name: 'since', value: true, description: 'from this time: 2026-11-27T20:00:00 (UTC) or a duration back (30s, 10m, 2h, 1d)' },
    { name: 'grep', value: true, description: 'only lines containing this text (case-insensitive)' },
    { name: 'regex', description: '--grep is a regular expression' },
    { name: 'json', description: 'print the mflog JSON records (non-JSON lines as {"file","raw"})' },
  ],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const filter = filterFrom(args);
    const keep = compileFilter(filter);
    const json = args.options.json === true;
    const logDir = runtimeHome(ctx.home).logDir;
    // --since: rotated files whose name stamp shows they were closed before it are skipped unread.
    const follower = new LogDirFollower(logDir, { start: filter.since !== undefined ? { historySince: Date.parse(filter.since) } : 'history' });
    const decoders = new Map<string, EntryDecoder>();
    const print = (batches: ReturnType<LogDirFollower['read']>) => {
      const lists = decodeBatches(decoders, batches).map((entries) => entries.filter(keep));
      const text = mergeByTimestamp(lists).map((e) => formatEntry(e, json)).join('\n');
      if (text !== '') ctx.stdout.write(`${text}\n`);
    };
    print(follower.read());
    if (args.options.follow !== true) {
      follower.close();
      return 0;
    }
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => print(follower.read()), POLL_MS);
      const stop = () => {
        clearInterval(timer);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    follower.close();
    return 0;
  },
};
