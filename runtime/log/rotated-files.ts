// Names of rotated log files (`<file>.%Y%m%d%H%M%S`, as MFDATA's log_proxy, UTC) and listing them oldest first.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `<file>.YYYYmmddHHMMSS`, with `-N` added when that second is already taken (several rotations in one second). */
const ROTATED_SUFFIX = /^\.(\d{14})(?:-(\d+))?$/;
/** logrotate's numbered style (`.1` is the newest), accepted when reading. */
const NUMBERED_SUFFIX = /^\.(\d{1,4})$/;

/** The UTC `YYYYmmddHHMMSS` of a time. */
export function rotationStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * The name a file takes when it is rotated at `ms`: `<file>.<stamp>`, or `<file>.<stamp>-N` with N above every
 * name already used for that second (even pruned ones' successors), so names always sort in rotation order.
 */
export function rotatedName(file: string, ms: number, siblings: readonly string[] = listRotated(file)): string {
  const base = `${path.basename(file)}.${rotationStamp(ms)}`;
  let highest = -1;
  for (const s of siblings) {
    const name = path.basename(s);
    if (name === base) highest = Math.max(highest, 0);
    else if (name.startsWith(`${base}-`)) highest = Math.max(highest, Number(name.slice(base.length + 1)) || 0);
  }
  const name = highest < 0 ? base : `${base}-${highest + 1}`;
  return path.join(path.dirname(file), name);
}

/** Sort key of a rotated sibling (older first), or undefined when the name is not a rotation of `file`. */
function rotationKey(file: string, candidate: string): [number, string, number] | undefined {
  const base = path.basename(file);
  const name = path.basename(candidate);
  if (!name.startsWith(base) || name === base) return undefined;
  const suffix = name.slice(base.length);
  const stamped = ROTATED_SUFFIX.exec(suffix);
  if (stamped) return [0, stamped[1], stamped[2] ? Number(stamped[2]) : 0];
  const numbered = NUMBERED_SUFFIX.exec(suffix);
  // Numbered files are older than any stamped one would be in a mixed directory; bigger number = older.
  if (numbered) return [-1, '', -Number(numbered[1])];
  return undefined;
}

/** The rotated siblings of `file` (absolute paths), oldest first. The live file itself is not included. */
export function listRotated(file: string): string[] {
  const dir = path.dirname(file);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const keyed: { file: string; key: [number, string, number] }[] = [];
  for (const name of names) {
    const key = rotationKey(file, name);
    if (key) keyed.push({ file: path.join(dir, name), key });
  }
  keyed.sort((a, b) => a.key[0] - b.key[0] || (a.key[1] < b.key[1] ? -1 : a.key[1] > b.key[1] ? 1 : 0) || a.key[2] - b.key[2]);
  return keyed.map((k) => k.file);
}

/** True when `name` is a rotated sibling rather than a live log file (used when listing `<home>/log/`). */
export function isRotatedName(name: string): boolean {
  return /\.\d{14}(?:-\d+)?$/.test(name) || /\.log\.\d{1,4}$/.test(name);
}

/**
 * When a rotated sibling ended, from its name: the end of the second its stamp names (the stamp is the rotation
 * moment truncated to the second), in epoch ms; undefined for names without a stamp (logrotate's numbered style).
 */
export function rotatedEndMs(file: string, rotated: string): number | undefined {
  const key = rotationKey(file, rotated);
  if (!key || key[0] !== 0) return undefined;
  const s = key[1];
  return Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12), +s.slice(12, 14)) + 1000;
}

/**
 * The oldest rotated sibling that may hold lines written at or after `sinceMs`: every file before it ended before
 * `sinceMs` by its name stamp, so a reader can skip them unread. Undefined when every rotated file ended before it
 * (start with the live file).
 */
export function firstRotatedEndingAfter(file: string, sinceMs: number): string | undefined {
  const rotated = listRotated(file);
  // Rotations are in order: the last file known to end before sinceMs tells where reading starts.
  let start = 0;
  for (let i = 0; i < rotated.length; i++) {
    const end = rotatedEndMs(file, rotated[i]);
    if (end !== undefined && end <= sinceMs) start = i + 1;
  }
  return rotated[start];
}
