// Follows one log file across rotation (rename + new file, copytruncate) without losing or repeating lines.
// Shared by `mfdata logs -f`, the extension's log panel and the log shipper; its position can be persisted.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { firstRotatedEndingAfter, listRotated } from './rotated-files';

/** Where a follower stands: the file it is in (by identity, not by name) and the byte after the last whole line read. */
export interface FollowPosition {
  /** The live path being followed. */
  file: string;
  /** Inode of the file the offset belongs to: the live file, or a rotated sibling it was renamed to. */
  inode: number;
  /** Fingerprint of that file's first line ('' while it has none): guards against inode reuse and truncation. */
  head: string;
  offset: number;
}

export interface LogLine {
  text: string;
  /** The live path followed. */
  file: string;
  /** The file the line was actually read from (the live file or a rotated sibling). */
  source: string;
  inode: number;
  head: string;
  /** Byte offset of the line's first byte, and just after its newline. */
  offset: number;
  end: number;
}

/**
 * Where a new follower starts: a saved position, the oldest rotated sibling, the live file's start, its end,
 * the first whole line of its last `tailBytes` (a viewer's recent history without reading hundreds of megabytes),
 * or the oldest file that may hold records from `historySince` (epoch ms) on: rotated files whose name stamp says
 * they were closed before it are not read at all.
 */
export type FollowStart = FollowPosition | 'history' | 'beginning' | 'end' | { tailBytes: number } | { historySince: number };

interface Current {
  path: string;
  fd: number;
  inode: number;
  head: string;
  /** Byte after the last whole line delivered. */
  pos: number;
  mtimeMs: number;
}

const CHUNK = 256 * 1024;
const HEAD_BYTES = 256;

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** Fingerprint of a file's first line (or first 256 bytes); '' when it has no complete first line yet. */
function readHead(fd: number): string {
  const buf = Buffer.alloc(HEAD_BYTES);
  const n = fs.readSync(fd, buf, 0, HEAD_BYTES, 0);
  const nl = buf.subarray(0, n).indexOf(0x0a);
  if (nl === -1 && n < HEAD_BYTES) return '';
  return createHash('sha1').update(buf.subarray(0, nl === -1 ? n : nl)).digest('hex').slice(0, 16);
}

/**
 * A pull-style follower: each `read()` returns the whole lines written since the last call, continuing into the
 * rotated file, any siblings rotated in between, then the new live file. Reads are synchronous and chunked
 * (log files are local; this keeps the order of operations, which is what makes rotation safe, easy to reason about).
 */
export class LogFollower {
  private cur: Current | undefined;
  private pendingStart: FollowStart | undefined;

  constructor(readonly file: string, start: FollowStart = 'end') {
    this.pendingStart = start;
  }

  /** The position to persist: after the last line returned by `read()`. Undefined before the file first exists. */
  position(): FollowPosition | undefined {
    if (!this.cur) return typeof this.pendingStart === 'object' && 'inode' in this.pendingStart ? this.pendingStart : undefined;
    return { file: this.file, inode: this.cur.inode, head: this.cur.head, offset: this.cur.pos };
  }

  /** Returns up to `maxLines` new whole lines (the rest stays for the next call). */
  read(maxLines = Infinity): LogLine[] {
    const lines: LogLine[] = [];
    if (!this.cur && !this.openStart()) return lines;
    for (let hops = 0; hops < 1000 && this.cur; hops++) {
      const cur: Current = this.cur;
      const before = statOrUndefined(this.file);
      // copytruncate is seen before reading, or the regrown file would be read from the old position.
      if (before && before.ino === cur.inode) this.checkTruncated(cur, before);
      this.drain(cur, lines, maxLines);
      if (lines.length >= maxLines) return lines;
      const live = statOrUndefined(this.file);
      if (live && live.ino === cur.inode) return lines;
      // Rotated (or removed): what was appended before the rename is still in our descriptor; finish it.
      this.drain(cur, lines, maxLines);
      if (lines.length >= maxLines) return lines;
      this.flushUnterminated(cur, lines);
      const next = this.nextAfter(cur);
      fs.closeSync(cur.fd);
      this.cur = undefined;
      if (!next) {
        // The live file does not exist (yet): resume at its start when it appears.
        this.pendingStart = 'beginning';
        return lines;
      }
      this.cur = this.openAt(next, 0);
      if (!this.cur) return lines;
    }
    return lines;
  }

  close(): void {
    if (this.cur) fs.closeSync(this.cur.fd);
    this.cur = undefined;
  }

  private openAt(p: string, pos: number): Current | undefined {
    let fd: number;
    try {
      fd = fs.openSync(p, 'r');
    } catch {
      return undefined;
    }
    const st = fs.fstatSync(fd);
    return { path: p, fd, inode: st.ino, head: readHead(fd), pos: Math.min(pos, st.size), mtimeMs: st.mtimeMs };
  }

  private openStart(): boolean {
    const start = this.pendingStart ?? 'beginning';
    const live = statOrUndefined(this.file);
    if (start === 'history') {
      const oldest = listRotated(this.file)[0];
      this.cur = oldest ? this.openAt(oldest, 0) : live ? this.openAt(this.file, 0) : undefined;
    } else if (start === 'beginning') {
      this.cur = live ? this.openAt(this.file, 0) : undefined;
    } else if (start === 'end') {
      this.cur = live ? this.openAt(this.file, 0) : undefined;
      if (this.cur) this.cur.pos = this.lastLineEnd(this.cur.fd, live?.size ?? 0);
      // Every line of a file created after we started following it is new.
      else this.pendingStart = 'beginning';
    } else if ('historySince' in start) {
      const first = firstRotatedEndingAfter(this.file, start.historySince);
      this.cur = first ? this.openAt(first, 0) : live ? this.openAt(this.file, 0) : undefined;
    } else if ('tailBytes' in start) {
      this.cur = live ? this.openAt(this.file, 0) : undefined;
      if (this.cur && live && live.size > start.tailBytes) this.cur.pos = this.lastLineEnd(this.cur.fd, live.size - start.tailBytes);
      else if (!this.cur) this.pendingStart = 'beginning';
    } else {
      this.cur = this.resume(start);
    }
    if (this.cur) this.pendingStart = undefined;
    return this.cur !== undefined;
  }

  /** Finds the saved file by identity among the live file and its rotated siblings. */
  private resume(saved: FollowPosition): Current | undefined {
    for (const candidate of [this.file, ...listRotated(this.file).reverse()]) {
      const st = statOrUndefined(candidate);
      if (!st || st.ino !== saved.inode) continue;
      const opened = this.openAt(candidate, 0);
      if (!opened) continue;
      if (saved.head !== '' && opened.head !== saved.head) {
        fs.closeSync(opened.fd);
        continue; // same inode number, different file (reused) or truncated and rewritten
      }
      opened.pos = st.size < saved.offset ? 0 : saved.offset;
      return opened;
    }
    // The saved file is gone (pruned by retention): start from the oldest file still there rather than lose lines.
    const oldest = listRotated(this.file)[0];
    if (oldest) return this.openAt(oldest, 0);
    return statOrUndefined(this.file) ? this.openAt(this.file, 0) : undefined;
  }

  private lastLineEnd(fd: number, size: number): number {
    const from = Math.max(0, size - CHUNK);
    const buf = Buffer.alloc(size - from);
    const n = fs.readSync(fd, buf, 0, buf.length, from);
    const nl = buf.subarray(0, n).lastIndexOf(0x0a);
    return nl === -1 ? from : from + nl + 1;
  }

  /** Reads whole lines from cur.pos to the end of what is written now. */
  private drain(cur: Current, lines: LogLine[], maxLines: number): void {
    const buf = Buffer.alloc(CHUNK);
    for (;;) {
      const n = fs.readSync(cur.fd, buf, 0, CHUNK, cur.pos);
      if (n === 0) return;
      if (cur.head === '') cur.head = readHead(cur.fd);
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(0x0a, start);
        if (nl === -1 || nl >= n) break;
        let text = buf.toString('utf8', start, nl);
        if (text.endsWith('\r')) text = text.slice(0, -1);
        lines.push({ text, file: this.file, source: cur.path, inode: cur.inode, head: cur.head, offset: cur.pos + start, end: cur.pos + nl + 1 });
        start = nl + 1;
        if (lines.length >= maxLines) break;
      }
      if (start === 0) {
        // A line longer than the buffer: deliver it whole once its newline is there.
        if (n < CHUNK) return;
        const long = this.readLongLine(cur);
        if (!long) return;
        lines.push(long);
        if (lines.length >= maxLines) return;
        continue;
      }
      cur.pos += start;
      if (lines.length >= maxLines || n < CHUNK) return;
    }
  }

  private readLongLine(cur: Current): LogLine | undefined {
    const size = fs.fstatSync(cur.fd).size;
    const buf = Buffer.alloc(size - cur.pos);
    const n = fs.readSync(cur.fd, buf, 0, buf.length, cur.pos);
    const nl = buf.subarray(0, n).indexOf(0x0a);
    if (nl === -1) return undefined;
    const line: LogLine = { text: buf.toString('utf8', 0, nl).replace(/\r$/, ''), file: this.file, source: cur.path, inode: cur.inode, head: cur.head, offset: cur.pos, end: cur.pos + nl + 1 };
    cur.pos += nl + 1;
    return line;
  }

  /** A rotated file is final: a last line without its newline (a writer that died mid-line) is still a line. */
  private flushUnterminated(cur: Current, lines: LogLine[]): void {
    const size = fs.fstatSync(cur.fd).size;
    if (size <= cur.pos) return;
    const buf = Buffer.alloc(size - cur.pos);
    const n = fs.readSync(cur.fd, buf, 0, buf.length, cur.pos);
    lines.push({ text: buf.toString('utf8', 0, n), file: this.file, source: cur.path, inode: cur.inode, head: cur.head, offset: cur.pos, end: cur.pos + n });
    cur.pos += n;
  }

  /** copytruncate: the same file shrank below our position, or was truncated and rewritten (its first line changed). */
  private checkTruncated(cur: Current, live: fs.Stats): void {
    cur.mtimeMs = live.mtimeMs;
    const head = cur.head === '' ? '' : readHead(cur.fd);
    if (live.size >= cur.pos && (cur.head === '' || head === cur.head)) return;
    cur.pos = 0;
    cur.head = head;
  }

  /** The file to read after `cur` was rotated away: the next newer rotated sibling, else the live file. */
  private nextAfter(cur: Current): string | undefined {
    const siblings = listRotated(this.file);
    const index = siblings.findIndex((s) => statOrUndefined(s)?.ino === cur.inode);
    let newer: string[];
    if (index >= 0) newer = siblings.slice(index + 1);
    else newer = siblings.filter((s) => (statOrUndefined(s)?.mtimeMs ?? 0) > cur.mtimeMs);
    if (newer.length > 0) return newer[0];
    return statOrUndefined(this.file) ? this.file : undefined;
  }
}
