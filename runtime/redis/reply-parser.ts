// Incremental RESP2 reply parser: bytes in any chunking → whole replies, in order (strings, numbers, null, arrays, errors).
import { ReplyError } from './errors';

/** A decoded reply: bulk and simple strings as UTF-8 strings, integers as numbers, nil as null, errors as ReplyError. */
export type Reply = string | number | null | ReplyError | Reply[];

/** An array being filled: its slots and how many are filled. */
interface Frame {
  items: Reply[];
  filled: number;
}

const CR = 13;
const EMPTY = Buffer.alloc(0);

/** A protocol violation (not RESP2): the connection is unusable and must be dropped. */
export class ProtocolError extends Error {
  constructor(what: string) {
    super(`Redis protocol error: ${what}`);
    this.name = 'ProtocolError';
  }
}

/**
 * Feed it the socket's chunks; it calls `onReply` once per complete top-level reply. Arrays are built on an
 * explicit stack, so an array split across chunks resumes where it stopped (never re-parsed); an element cut
 * in the middle is kept from its first byte and, when its size is known (a bulk string), later chunks are only
 * collected until they are enough, then joined once: a 1 MB value in 64 KB chunks costs one copy, not sixteen.
 * Numbers and lengths are read from the bytes; only string values are decoded.
 */
export class ReplyParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  private readonly stack: Frame[] = [];
  /** Chunks collected while waiting for `need` bytes of a cut element (the first holds its start). */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  private need = 0;

  constructor(private readonly onReply: (reply: Reply) => void) {}

  /** Forgets everything partial (the connection was dropped: a new one starts at a reply boundary). */
  reset(): void {
    this.buf = EMPTY;
    this.pos = 0;
    this.stack.length = 0;
    this.waiting = [];
    this.waitingBytes = 0;
    this.need = 0;
  }

  feed(chunk: Buffer): void {
    if (this.waiting.length > 0) {
      this.waiting.push(chunk);
      this.waitingBytes += chunk.length;
      if (this.waitingBytes < this.need) return;
      this.buf = Buffer.concat(this.waiting, this.waitingBytes);
      this.waiting = [];
      this.waitingBytes = 0;
      this.need = 0;
    } else {
      this.buf = chunk;
    }
    this.pos = 0;
    this.parseAll();
  }

  private parseAll(): void {
    const buf = this.buf;
    const end = buf.length;
    while (this.pos < end) {
      const start = this.pos;
      const value = this.element(buf, start, end);
      if (value === INCOMPLETE) {
        this.keepFrom(start);
        return;
      }
      if (value === OPENED) continue;
      this.deliver(value);
    }
    this.buf = EMPTY;
    this.pos = 0;
  }

  /** Keeps the unparsed tail, waiting for at least `need` bytes in all (0: any next chunk). */
  private keepFrom(start: number): void {
    const rest = this.buf.subarray(start);
    this.waiting = [rest];
    this.waitingBytes = rest.length;
    this.need = Math.max(this.need, rest.length + 1);
    this.buf = EMPTY;
    this.pos = 0;
  }

  /** Adds a complete value to the array being filled, closing every array it completes. */
  private deliver(value: Reply): void {
    let v = value;
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (top === undefined) {
        this.onReply(v);
        return;
      }
      top.items[top.filled++] = v;
      if (top.filled < top.items.length) return;
      this.stack.pop();
      v = top.items;
    }
  }

  /**
   * Parses the element at `start`: its value, OPENED (a non-empty array header was pushed on the stack) or
   * INCOMPLETE (more bytes needed; `need` set when the total size is known). Advances `pos` past what it consumed.
   */
  private element(buf: Buffer, start: number, end: number): Reply | typeof INCOMPLETE | typeof OPENED {
    const lineEnd = buf.indexOf(CR, start + 1);
    if (lineEnd < 0 || lineEnd + 1 >= end) return INCOMPLETE;
    const type = buf[start];
    const after = lineEnd + 2;
    switch (type) {
      case 36: { // '$' bulk string
        const len = readInt(buf, start + 1, lineEnd);
        if (len < 0) {
          this.pos = after;
          return null;
        }
        const stop = after + len;
        if (stop + 2 > end) {
          this.need = stop + 2 - start;
          return INCOMPLETE;
        }
        this.pos = stop + 2;
        return buf.toString('utf8', after, stop);
      }
      case 58: // ':' integer
        this.pos = after;
        return readInt(buf, start + 1, lineEnd);
      case 43: // '+' simple string
        this.pos = after;
        return buf.toString('utf8', start + 1, lineEnd);
      case 45: // '-' error
        this.pos = after;
        return new ReplyError(buf.toString('utf8', start + 1, lineEnd));
      case 42: { // '*' array
        const n = readInt(buf, start + 1, lineEnd);
        this.pos = after;
        if (n < 0) return null;
        if (n === 0) return [];
        this.stack.push({ items: new Array<Reply>(n), filled: 0 });
        return OPENED;
      }
      default:
        throw new ProtocolError(`unexpected reply type byte ${type} (${JSON.stringify(String.fromCharCode(type))}) at offset ${start}`);
    }
  }
}

const INCOMPLETE: unique symbol = Symbol('incomplete');
const OPENED: unique symbol = Symbol('opened');

/** A signed decimal integer from bytes [from, to). */
function readInt(buf: Buffer, from: number, to: number): number {
  let i = from;
  let negative = false;
  if (buf[i] === 45) {
    negative = true;
    i++;
  }
  let n = 0;
  for (; i < to; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) throw new ProtocolError(`not an integer: ${JSON.stringify(buf.toString('latin1', from, to))}`);
    n = n * 10 + d;
  }
  return negative ? -n : n;
}
