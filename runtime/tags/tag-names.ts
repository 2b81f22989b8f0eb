// Tag names and formats (MFDATA xattrfile conventions): core tags, per-step tags, the `.tags` dump. Pure functions.

export const ORIGINAL_BASENAME = 'first.core.original_basename';
/** Base name of the first inbox directory the file was seen in. */
export const ORIGINAL_DIRNAME = 'first.core.original_dirname';
export const ORIGINAL_UID = 'first.core.original_uid';
/** 0 for the first step that claimed the file, +1 for each step after it. */
export const STEP_COUNTER = 'latest.core.step_counter';
/** The name the file had in the inbox it was claimed from (used to put a recovered claim back). */
export const INBOX_BASENAME = 'latest.core.inbox_basename';
/** Why the failure policy was applied (process returned false, exception, step_limit, timeout, crashes). */
export const FAILURE_REASON = 'latest.core.failure_reason';

/** `<n>.<plugin>.<step>.<name>`. */
export function stepTag(counter: number | 'latest', plugin: string, step: string, name: string): string {
  return `${counter}.${plugin}.${step}.${name}`;
}

/** How many times a worker of this step died while holding the file (counted when its claim is recovered). */
export function crashCountTag(plugin: string, step: string): string {
  return stepTag('latest', plugin, step, 'crash_count');
}

export function enterStepTag(counter: number | 'latest', plugin: string, step: string): string {
  return stepTag(counter, plugin, step, 'enter_step');
}

/** MFDATA's enter_step value: UTC `YYYY-MM-DDTHH:MM:SS:ffffff` (a colon before the microseconds). */
export function enterStepValue(epochMs: number): string {
  const iso = new Date(Math.floor(epochMs)).toISOString();
  const micros = Math.floor((epochMs * 1000) % 1_000_000);
  return `${iso.slice(0, 19)}:${String(micros).padStart(6, '0')}`;
}

/**
 * The `.tags` file next to a trashed or moved-out file: sorted `key = value` lines, MFDATA's look. What would break a
 * line is escaped with a backslash, reversibly: `\\` for a backslash, `\n` and `\r` for line breaks, and in keys
 * `\=` for `=` (so the first ` = ` of a line always separates key and value). Values without a backslash or a line
 * break are written as they are.
 */
export function formatTagsFile(tags: Record<string, string>): string {
  return Object.keys(tags)
    .sort()
    .map((k) => `${escapeTagText(k, true)} = ${escapeTagText(tags[k], false)}\n`)
    .join('');
}

/** Reads a `.tags` file back, exactly (formatTagsFile's escapes undone; an unknown `\x` reads as `x`). */
export function parseTagsFile(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = separatorOf(line);
    if (at > 0) tags[unescapeTagText(line.slice(0, at))] = unescapeTagText(line.slice(at + 3));
  }
  return tags;
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '=': '\\=' };
const UNESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r' };

function escapeTagText(text: string, key: boolean): string {
  return text.replace(key ? /[\\\n\r=]/g : /[\\\n\r]/g, (c) => ESCAPES[c]);
}

function unescapeTagText(text: string): string {
  return text.replace(/\\([\s\S])/g, (_, c: string) => UNESCAPES[c] ?? c);
}

/** Index of the first ` = ` outside an escape (a key's own `=` are written `\=`), or -1. */
function separatorOf(line: string): number {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line.startsWith(' = ', i)) return i;
  }
  return -1;
}
