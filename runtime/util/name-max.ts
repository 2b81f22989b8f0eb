// File-name length limit (NAME_MAX, 255 bytes on Linux file systems): names the runtime derives from a file's name are cut to fit.
import { randomBytes } from 'node:crypto';

/** Longest file name (one path component) in bytes on ext4, xfs, btrfs, tmpfs. */
export const NAME_MAX_BYTES = 255;

/**
 * `name` cut (at a character boundary, never inside a UTF-8 sequence or a surrogate pair) so that
 * `reserveBytes` more bytes still fit within NAME_MAX. A 255-byte name is legal, but `name.tags`,
 * `name.t` or `name.1` derived from it are not (ENAMETOOLONG): the runtime cuts the derived names and keeps
 * the full original name in the file's tags (`first.core.original_basename`).
 */
export function fitName(name: string, reserveBytes = 0): string {
  const budget = NAME_MAX_BYTES - reserveBytes;
  if (Buffer.byteLength(name) <= budget) return name;
  let used = 0;
  let out = '';
  for (const ch of name) {
    const size = Buffer.byteLength(ch);
    if (used + size > budget) break;
    used += size;
    out += ch;
  }
  return out;
}

/**
 * The temporary name a file is written under before its rename to `finalName` in the same directory: `finalName.t`
 * (ignored by observers, as MFDATA producers do), or `.<random>.t` when `finalName.t` would exceed NAME_MAX.
 */
export function temporaryName(finalName: string): string {
  return Buffer.byteLength(finalName) + 2 <= NAME_MAX_BYTES ? `${finalName}.t` : `.${randomBytes(8).toString('hex')}.t`;
}
