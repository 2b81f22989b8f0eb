// File names that are not valid UTF-8 (bytes of another encoding): a JSON message cannot carry them, so the observer
// renames such a file in place to a UTF-8 name, each undecodable byte written as `%XX`, and announces that name.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorCode } from '../tags/tagged-file';
import { fitName, NAME_MAX_BYTES } from '../util/name-max';

/** True when `raw` is valid UTF-8 (what Node's string APIs and JSON carry without loss). */
export function isUtf8Name(raw: Buffer): boolean {
  return Buffer.from(raw.toString('utf8'), 'utf8').equals(raw);
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there cannot start one. */
function sequenceLength(raw: Buffer, i: number): number {
  const b = raw[i];
  if (b < 0x80) return 1;
  const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > raw.length) return 0;
  for (let k = 1; k < n; k++) if ((raw[i + k] & 0xc0) !== 0x80) return 0;
  const second = raw[i + 1];
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid too.
  if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return 0;
  return n;
}

/** The UTF-8 name a raw name gets: valid sequences kept, every other byte as `%XX` (upper-case hex). */
export function utf8SafeName(raw: Buffer): string {
  let out = '';
  for (let i = 0; i < raw.length;) {
    const n = sequenceLength(raw, i);
    if (n === 0) {
      out += `%${raw[i].toString(16).toUpperCase().padStart(2, '0')}`;
      i++;
    } else {
      out += raw.toString('utf8', i, i + n);
      i += n;
    }
  }
  return out;
}

/**
 * Renames `<directory>/<raw>` to its UTF-8 safe name (a random suffix when that name is taken or too long), without
 * ever replacing a file: link(2) then unlink. Returns the new name, or undefined when the entry is gone or is a
 * directory (directories are never announced anyway).
 */
export function renameUndecodable(directory: string, raw: Buffer): string | undefined {
  const src = Buffer.concat([Buffer.from(directory + path.sep), raw]);
  const st = fs.lstatSync(src, { throwIfNoEntry: false });
  if (!st || st.isDirectory()) return undefined;
  const safe = utf8SafeName(raw);
  for (let attempt = 0; attempt < 10; attempt++) {
    const name = attempt === 0 && Buffer.byteLength(safe) <= NAME_MAX_BYTES ? safe : `${fitName(safe, 9)}.${randomBytes(4).toString('hex')}`;
    try {
      fs.linkSync(src, path.join(directory, name));
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EEXIST') continue;
      if (code === 'ENOENT') return undefined;
      if (code !== 'EPERM') throw err;
      // link(2) refused (protected_hardlinks, another user's file): rename once the name is seen free.
      if (fs.lstatSync(path.join(directory, name), { throwIfNoEntry: false })) continue;
      fs.renameSync(src, path.join(directory, name));
      return name;
    }
    fs.unlinkSync(src);
    return name;
  }
  throw new Error(`cannot find a free name for ${safe} in ${directory}`);
}
