// Destination names of the move and archive steps: `{ORIGINAL_BASENAME}`-style placeholders and strftime `%` directives.
import { randomBytes } from 'node:crypto';

/** A `dest_basename` template that cannot be expanded (unknown placeholder or directive, or an unsafe result). */
export class DestBasenameError extends Error {
  constructor(readonly template: string, readonly reason: string) {
    super(`dest_basename '${template}': ${reason}`);
    this.name = 'DestBasenameError';
  }
}

export interface BasenameValues {
  /** `first.core.original_basename` (or the current name when unknown). */
  originalBasename: string;
  /** `first.core.original_dirname`: the name of the first inbox directory. */
  originalDirname: string;
  /** `first.core.original_uid`. */
  originalUid: string;
  /** `latest.core.step_counter`. */
  stepCounter: string;
  /** The moment the name is made; strftime directives use it, in UTC. */
  now: Date;
  /** Injected for tests; a new 32-hex id by default. */
  randomId?: () => string;
}

export const PLACEHOLDERS = ['ORIGINAL_BASENAME', 'ORIGINAL_DIRNAME', 'ORIGINAL_UID', 'RANDOM_ID', 'STEP_COUNTER'] as const;

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** One strftime directive (Python's set, minus the locale ones), in UTC; undefined when unknown. */
function directive(c: string, d: Date): string | undefined {
  switch (c) {
    case 'Y': return String(d.getUTCFullYear());
    case 'y': return pad(d.getUTCFullYear() % 100);
    case 'm': return pad(d.getUTCMonth() + 1);
    case 'd': return pad(d.getUTCDate());
    case 'H': return pad(d.getUTCHours());
    case 'I': return pad(((d.getUTCHours() + 11) % 12) + 1);
    case 'p': return d.getUTCHours() < 12 ? 'AM' : 'PM';
    case 'M': return pad(d.getUTCMinutes());
    case 'S': return pad(d.getUTCSeconds());
    case 'f': return pad(d.getUTCMilliseconds() * 1000, 6);
    case 'j': return pad(Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1, 3);
    case 'a': return DAYS[d.getUTCDay()].slice(0, 3);
    case 'A': return DAYS[d.getUTCDay()];
    case 'b': return MONTHS[d.getUTCMonth()].slice(0, 3);
    case 'B': return MONTHS[d.getUTCMonth()];
    case 'w': return String(d.getUTCDay());
    case 's': return String(Math.floor(d.getTime() / 1000));
    case 'z': return '+0000';
    case 'Z': return 'UTC';
    case '%': return '%';
    default: return undefined;
  }
}

export function newRandomId(): string {
  return randomBytes(16).toString('hex');
}

/** A substituted value never adds a directory level or a NUL: tags are plugin-writable data. */
function sanitize(value: string): string {
  return value.replace(/[/\0]/g, '_');
}

/**
 * Expands a template in one pass, so a substituted value is never re-read as a directive (a `%` in an
 * original basename stays a `%`). `/` in the template itself makes sub-directories (archive's `%Y%m%d/…`)
 * when `allowSubdirs`; the result is refused if it is empty, absolute, or has a `.`/`..` segment.
 */
export function expandDestBasename(template: string, values: BasenameValues, allowSubdirs = false): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '%') {
      const next = template[i + 1];
      const v = next === undefined ? undefined : directive(next, values.now);
      if (v === undefined) throw new DestBasenameError(template, `unknown strftime directive '%${next ?? ''}' (write '%%' for a percent sign)`);
      out += v;
      i++;
    } else if (c === '{') {
      const close = template.indexOf('}', i);
      const name = close === -1 ? '' : template.slice(i + 1, close);
      let v: string | undefined;
      switch (name) {
        case 'ORIGINAL_BASENAME': v = values.originalBasename; break;
        case 'ORIGINAL_DIRNAME': v = values.originalDirname; break;
        case 'ORIGINAL_UID': v = values.originalUid; break;
        case 'STEP_COUNTER': v = values.stepCounter; break;
        case 'RANDOM_ID': v = (values.randomId ?? newRandomId)(); break;
      }
      if (v === undefined) throw new DestBasenameError(template, `unknown placeholder '${close === -1 ? template.slice(i) : `{${name}}`}' (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`);
      out += sanitize(v);
      i = close;
    } else {
      out += c;
    }
  }
  if (out === '') throw new DestBasenameError(template, 'expands to an empty name');
  if (out.startsWith('/')) throw new DestBasenameError(template, 'must be a relative name');
  const parts = out.split('/');
  if (!allowSubdirs && parts.length > 1) throw new DestBasenameError(template, "a basename cannot contain '/'");
  if (parts.some((p) => p === '' || p === '.' || p === '..')) throw new DestBasenameError(template, `expands to '${out}', which has an empty, '.' or '..' path segment`);
  return out;
}

/** Checks a template at step start-up, so a typo fails the step's init rather than every file. */
export function validateDestBasename(template: string, allowSubdirs = false): void {
  expandDestBasename(template, { originalBasename: 'a', originalDirname: 'b', originalUid: 'c', stepCounter: '0', now: new Date(0), randomId: () => 'r' }, allowSubdirs);
}
