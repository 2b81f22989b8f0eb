// A small ustar reader and writer for `.plugin` archives. Our own (not the `tar` package) because install must
// see every entry's raw path, type and link target before anything touches the disk, and we only need 3 entry types.

export type TarEntryType = 'file' | 'directory' | 'symlink';

export interface TarEntry {
  /** Slash-separated path as stored (directories without the trailing slash). */
  path: string;
  type: TarEntryType;
  /** Permission bits (0o644, 0o755…). */
  mode: number;
  /** Unix seconds. */
  mtime: number;
  /** File content; empty for directories and symlinks. */
  data: Buffer;
  /** Symlink target as stored. */
  linkTarget?: string;
}

/** An archive that is not a tar we can read safely: corrupt header, unsupported entry type, bad size. */
export class TarFormatError extends Error {
  constructor(readonly entry: string, readonly reason: string) {
    super(entry ? `archive entry '${entry}': ${reason}` : `archive: ${reason}`);
    this.name = 'TarFormatError';
  }
}

const BLOCK = 512;

function writeString(buf: Buffer, offset: number, size: number, value: string, entry: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > size) throw new TarFormatError(entry, `field too long (${bytes.length} > ${size} bytes)`);
  bytes.copy(buf, offset);
}

function writeOctal(buf: Buffer, offset: number, size: number, value: number, entry: string): void {
  const text = Math.floor(value).toString(8);
  if (text.length > size - 1) throw new TarFormatError(entry, `number ${value} does not fit the ustar header`);
  buf.write(text.padStart(size - 1, '0') + '\0', offset, size, 'ascii');
}

/** Splits a long path into ustar prefix (≤155 bytes) and name (≤100 bytes) at a slash. */
function splitPath(p: string): { prefix: string; name: string } {
  if (Buffer.byteLength(p) <= 100) return { prefix: '', name: p };
  for (let i = p.length - 1; i > 0; i--) {
    if (p[i] !== '/') continue;
    const prefix = p.slice(0, i);
    const name = p.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return { prefix, name };
  }
  throw new TarFormatError(p, 'path too long for a ustar archive (name 100 bytes, directory 155 bytes)');
}

function header(entry: TarEntry): Buffer {
  const h = Buffer.alloc(BLOCK);
  const stored = entry.type === 'directory' ? `${entry.path}/` : entry.path;
  const { prefix, name } = splitPath(stored);
  writeString(h, 0, 100, name, entry.path);
  writeOctal(h, 100, 8, entry.mode & 0o7777, entry.path);
  writeOctal(h, 108, 8, 0, entry.path);
  writeOctal(h, 116, 8, 0, entry.path);
  writeOctal(h, 124, 12, entry.type === 'file' ? entry.data.length : 0, entry.path);
  writeOctal(h, 136, 12, entry.mtime, entry.path);
  h.write('        ', 148, 8, 'ascii');
  h.write(entry.type === 'file' ? '0' : entry.type === 'directory' ? '5' : '2', 156, 1, 'ascii');
  if (entry.type === 'symlink') writeString(h, 157, 100, entry.linkTarget ?? '', entry.path);
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  writeString(h, 265, 32, 'mfdata', entry.path);
  writeString(h, 297, 32, 'mfdata', entry.path);
  writeString(h, 345, 155, prefix, entry.path);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/** Serialises entries as an uncompressed ustar stream (ends with two zero blocks). */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e));
    if (e.type === 'file' && e.data.length > 0) {
      parts.push(e.data);
      const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function readString(buf: Buffer, offset: number, size: number): string {
  const slice = buf.subarray(offset, offset + size);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul === -1 ? size : nul).toString('utf8');
}

function readOctal(buf: Buffer, offset: number, size: number, entry: string): number {
  const text = readString(buf, offset, size).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(entry, `bad number field '${text}'`);
  return parseInt(text, 8);
}

/** PAX extended header records (`<len> key=value\n`): only `path` and `linkpath` matter to us. */
function parsePax(data: Buffer, entry: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space === -1) break;
    const len = parseInt(data.subarray(i, space).toString('ascii'), 10);
    if (!Number.isFinite(len) || len <= 0 || i + len > data.length) throw new TarFormatError(entry, 'corrupt PAX header');
    const record = data.subarray(space + 1, i + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

/**
 * Parses a ustar (or PAX/GNU-compatible) stream. Regular files, directories and symlinks are returned;
 * hardlinks, devices and FIFOs are refused, so nothing but those three ever reaches the extractor.
 */
export function readTar(buf: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  while (offset + BLOCK <= buf.length) {
    const h = buf.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    let stored = readString(h, 0, 100);
    const magic = readString(h, 257, 6);
    if (magic.startsWith('ustar')) {
      const prefix = readString(h, 345, 155);
      if (prefix) stored = `${prefix}/${stored}`;
    }
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    if (readOctal(h, 148, 8, stored) !== sum) throw new TarFormatError(stored, 'header checksum mismatch (corrupt archive)');
    const size = readOctal(h, 124, 12, stored);
    const typeflag = String.fromCharCode(h[156] || 0x30);
    const dataStart = offset + BLOCK;
    if (dataStart + size > buf.length) throw new TarFormatError(stored, 'truncated archive');
    const data = buf.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (typeflag === 'x') { pax = parsePax(data, stored); continue; }
    if (typeflag === 'g') continue;
    if (typeflag === 'L') { longName = readString(data, 0, data.length); continue; }
    const path = (pax.path ?? longName ?? stored);
    const linkTarget = pax.linkpath ?? readString(h, 157, 100);
    pax = {};
    longName = undefined;
    const mode = readOctal(h, 100, 8, path) & 0o7777;
    const mtime = readOctal(h, 136, 12, path);
    if (typeflag === '0' || typeflag === '7') {
      entries.push({ path: path.replace(/\/+$/, ''), type: 'file', mode, mtime, data: Buffer.from(data) });
    } else if (typeflag === '5') {
      entries.push({ path: path.replace(/\/+$/, ''), type: 'directory', mode, mtime, data: Buffer.alloc(0) });
    } else if (typeflag === '2') {
      entries.push({ path: path.replace(/\/+$/, ''), type: 'symlink', mode, mtime, data: Buffer.alloc(0), linkTarget });
    } else {
      const kinds: Record<string, string> = { '1': 'a hardlink', '3': 'a character device', '4': 'a block device', '6': 'a FIFO' };
      throw new TarFormatError(path, `${kinds[typeflag] ?? `entry type '${typeflag}'`} is not allowed in a plugin archive`);
    }
  }
  return entries;
}
