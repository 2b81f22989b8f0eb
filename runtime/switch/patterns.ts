// Pattern matching with MFDATA's (Python's) semantics: fnmatch wildcards and `re.match` regexes, in JavaScript.

/** A regex or wildcard pattern that could not be compiled; `reason` is the engine's message. */
export class PatternError extends Error {
  constructor(readonly pattern: string, readonly reason: string, readonly syntax: 'regex' | 'fnmatch' = 'regex') {
    super(`invalid ${syntax === 'regex' ? 'regular expression' : 'wildcard pattern'} '${pattern}': ${reason}`);
    this.name = 'PatternError';
  }

  /** The problem code of a switch rule left out for this error (`mfdata config check` and the running switch). */
  get code(): string {
    return this.syntax === 'regex' ? 'bad-regex' : 'bad-fnmatch';
  }
}

/** What to write instead of a wildcard pattern that does not compile. */
export const FNMATCH_HINT = 'wildcards are * ? [seq] [!seq]; a range in [] goes from low to high, e.g. [a-z]';

/** V8 says `Invalid regular expression: /<source>/<flags>: <reason>`; the reason alone (the pattern is named already). */
function engineReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.slice(text.lastIndexOf(': ') + 2);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Translates a shell wildcard (Python `fnmatch`, case-sensitive as on POSIX) to a whole-string RegExp.
 * `*` matches anything including `/` and newlines, `?` one character, `[seq]` / `[!seq]` a set;
 * an unclosed `[` is a literal bracket, as in Python. A set JavaScript cannot compile (a range from high to
 * low, `[z-a]`) throws PatternError.
 */
export function fnmatchToRegExp(pattern: string): RegExp {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i++];
    if (c === '*') {
      out += '[\\s\\S]*';
      while (pattern[i] === '*') i++;
    } else if (c === '?') {
      out += '[\\s\\S]';
    } else if (c === '[') {
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i, j);
      i = j + 1;
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      // Inside a class only `\`, `]` and `^` (first position) mean something to a JS regex.
      body = body.replace(/\\/g, '\\\\').replace(/\]/g, '\\]');
      if (!negate && body.startsWith('^')) body = '\\' + body;
      out += body === '' ? (negate ? '[\\s\\S]' : '(?!)') : `[${negate ? '^' : ''}${body}]`;
    } else {
      out += escapeRegex(c);
    }
  }
  try {
    return new RegExp(`^(?:${out})$`);
  } catch (err) {
    throw new PatternError(pattern, engineReason(err), 'fnmatch');
  }
}

export function fnmatch(value: string, pattern: string): boolean {
  return fnmatchToRegExp(pattern).test(value);
}

/**
 * Compiles a Python-style regex for `re.match` semantics: anchored at the start (not at the end).
 * The Python-only spellings `(?P<name>…)`, `(?P=name)` and `\Z` are translated; anything JavaScript
 * cannot compile throws PatternError.
 */
export function compilePythonRegex(pattern: string): RegExp {
  const translated = pattern
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  try {
    // Sticky: the match must start at index 0, like Python's re.match, without rewriting the pattern.
    return new RegExp(translated, 'y');
  } catch (err) {
    throw new PatternError(pattern, engineReason(err));
  }
}

/** `re.match(pattern, value)` is truthy. */
export function regexMatches(re: RegExp, value: string): boolean {
  re.lastIndex = 0;
  return re.test(value);
}
