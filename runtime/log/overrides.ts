// Per-logger level overrides (`mflog_override.conf`): `pattern => LEVEL` lines, fnmatch patterns, first match wins.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOG_LEVELS, levelRank, type LogLevel } from './record';

export interface LevelOverride {
  pattern: string;
  level: LogLevel;
  /** Where the rule was written, for error messages. */
  file: string;
  line: number;
}

/** A malformed override line: names the file, the line and the expected shape. */
export class LogOverrideError extends Error {
  constructor(readonly file: string, readonly line: number, detail: string) {
    super(`${file}:${line}: ${detail} (expected 'pattern => LEVEL' with LEVEL one of ${LOG_LEVELS.join(', ').toUpperCase()})`);
    this.name = 'LogOverrideError';
  }
}

/** Parses the text of an override file. Blank lines and `#` comments are ignored. */
export function parseOverrides(text: string, file = 'mflog_override.conf'): LevelOverride[] {
  const rules: LevelOverride[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const arrow = line.indexOf('=>');
    if (arrow === -1) throw new LogOverrideError(file, i + 1, `no '=>' in '${line}'`);
    const pattern = line.slice(0, arrow).trim();
    const levelText = line.slice(arrow + 2).trim();
    const rank = levelRank(levelText);
    if (pattern === '') throw new LogOverrideError(file, i + 1, 'empty pattern');
    if (rank < 0) throw new LogOverrideError(file, i + 1, `unknown level '${levelText}'`);
    rules.push({ pattern, level: LOG_LEVELS[rank], file, line: i + 1 });
  });
  return rules;
}

/** fnmatch (as Python's, case-sensitive): `*`, `?`, `[seq]`, `[!seq]`. */
export function fnmatchToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        re += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** The level of the first rule whose pattern matches `loggerName`, or undefined. */
export function overrideLevel(rules: readonly LevelOverride[], loggerName: string): LogLevel | undefined {
  for (const rule of rules) if (fnmatchToRegExp(rule.pattern).test(loggerName)) return rule.level;
  return undefined;
}

/** Reads `<home>/config/mflog_override.conf` (none = no rules). */
export function loadOverrides(configDir: string): LevelOverride[] {
  const file = path.join(configDir, 'mflog_override.conf');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return parseOverrides(text, file);
}
