// Reads directory_observer.ini (MFDATA format: [common] inherited by every section) into the watched directories.
import * as fs from 'node:fs';
import { getSection, parseIni } from '../config/ini-parser';
import type { RedisAddress } from '../queue/connection';
import { compileNameRefusal, DEFAULT_IGNORE, type NameFilter, type NameRefusal } from './name-filter';

/** One active section: a directory whose new files are pushed onto a queue. */
export interface WatchSection {
  name: string;
  directory: string;
  queue: string;
  /** Seconds between forced rescans (0 = only at start-up and after a lost event stream). */
  forcedPoll: number;
  /** A rescan stops pushing once the queue holds this many messages (≤ 0 = unlimited). */
  pollQueueLimit: number;
  filter: NameFilter;
  /** The rule of `filter` that ignores a name, for messages (`mfdata inject` refusing it). */
  whyIgnored: NameRefusal;
}

export interface ObserverConfig {
  file: string;
  redis: RedisAddress | undefined;
  sections: WatchSection[];
}

export class ObserverConfigError extends Error {
  constructor(readonly file: string, readonly line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'ObserverConfigError';
  }
}


function truthy(value: string | undefined): boolean {
  return /^(1|true|yes|on)$/i.test((value ?? '').trim());
}

export function parseObserverConfig(text: string, file: string): ObserverConfig {
  const doc = parseIni(text, file);
  const hardProblem = doc.problems.find((p) => p.severity === 'error' && p.code !== 'duplicate-key');
  if (hardProblem) throw new ObserverConfigError(file, hardProblem.line, hardProblem.message);
  // As `mfdata config check` reads it (runtime/config/validate.ts): a duplicate key keeps its first value, and a
  // `key[VARIANT]` line is ignored.
  const valuesOf = (name: string): Map<string, { value: string; line: number }> => {
    const map = new Map<string, { value: string; line: number }>();
    for (const e of getSection(doc, name)?.entries ?? []) {
      if (e.variant === undefined && !map.has(e.key)) map.set(e.key, { value: e.value, line: e.keySpan.line });
    }
    return map;
  };
  const common = valuesOf('common');
  let redis: RedisAddress | undefined;
  const sections: WatchSection[] = [];
  const seen = new Set<string>();
  for (const section of doc.sections) {
    if (section.name === 'common' || seen.has(section.name)) continue;
    seen.add(section.name);
    const own = valuesOf(section.name);
    const get = (key: string): string | undefined => (own.get(key) ?? common.get(key))?.value;
    const lineOf = (key: string): number => (own.get(key) ?? common.get(key))?.line ?? section.headerSpan.line;
    if (!truthy(get('active'))) continue;
    const directory = get('directory') ?? '';
    const queue = get('queue') ?? '';
    // MFDATA skips a section without its mandatory keys.
    if (directory === '' || queue === '') continue;
    const socket = get('redis_unix_socket') ?? '';
    const sectionRedis: RedisAddress | undefined = socket !== '' && socket !== 'null'
      ? { socket }
      : get('redis_server') ? { host: get('redis_server') as string, port: Number(get('redis_port') ?? 6379) } : undefined;
    redis ??= sectionRedis;
    let whyIgnored: NameRefusal;
    try {
      whyIgnored = compileNameRefusal(get('only') ?? '^.*$', get('ignore') ?? DEFAULT_IGNORE);
    } catch (err) {
      throw new ObserverConfigError(file, lineOf('ignore'), `[${section.name}]: ${(err as Error).message}`);
    }
    sections.push({
      name: section.name,
      directory: directory.length > 1 ? directory.replace(/\/+$/, '') : directory,
      queue,
      forcedPoll: Number(get('forced_poll') ?? 0) || 0,
      pollQueueLimit: Number(get('poll_queue_limit') ?? 10000) || 0,
      filter: (basename) => whyIgnored(basename) === undefined,
      whyIgnored,
    });
  }
  return { file, redis, sections };
}

export function readObserverConfig(file: string): ObserverConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ObserverConfigError(file, 0, `cannot read the observer configuration: ${(err as Error).message}`);
  }
  return parseObserverConfig(text, file);
}
