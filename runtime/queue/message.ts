// The MFDATA queue message: `{"directory", "filename", "event", "event_timestamp"}` as JSON, encode and decode.
import * as path from 'node:path';

export type FileEvent = 'created' | 'exists';

export interface QueueMessage {
  /** Watched directory, no trailing slash. */
  directory: string;
  /** Base name of the file in that directory. */
  filename: string;
  event: FileEvent;
  /** Float Unix seconds. */
  event_timestamp: number;
}

export class InvalidMessageError extends Error {
  constructor(readonly raw: string, readonly reason: string) {
    super(`invalid queue message (${reason}): ${truncatedDump(raw)}`);
    this.name = 'InvalidMessageError';
  }
}

/** At most 200 characters of a message, for logs: a bad message may be megabytes of anything. */
export function truncatedDump(raw: string): string {
  return raw.length > 200 ? raw.slice(0, 200) + '…' : raw;
}

/** JSON as Python's json.dumps writes it (", " and ": " separators, non-ASCII escaped), so MFDATA peers read identical bytes. */
export function encodeMessage(msg: QueueMessage): string {
  const ts = Number.isInteger(msg.event_timestamp) ? msg.event_timestamp.toFixed(1) : String(msg.event_timestamp);
  const body = `{"directory": ${asciiJson(msg.directory)}, "filename": ${asciiJson(msg.filename)}, "event": ${asciiJson(msg.event)}, "event_timestamp": ${ts}}`;
  return body;
}

function asciiJson(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Decodes a message; a missing event or timestamp is tolerated (MFDATA consumers only need directory and filename). */
export function decodeMessage(raw: string): QueueMessage {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new InvalidMessageError(raw, 'not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidMessageError(raw, 'not a JSON object');
  const obj = value as Record<string, unknown>;
  // A NUL cannot be in a path: the file system call would throw something other than an errno.
  if (typeof obj.directory !== 'string' || obj.directory === '' || obj.directory.includes('\0')) throw new InvalidMessageError(raw, 'no "directory" string');
  if (typeof obj.filename !== 'string' || obj.filename === '' || /[/\0]/.test(obj.filename) || obj.filename === '.' || obj.filename === '..') {
    throw new InvalidMessageError(raw, 'no valid "filename" (a base name)');
  }
  if (!path.isAbsolute(obj.directory)) throw new InvalidMessageError(raw, '"directory" is not absolute');
  return {
    directory: obj.directory.length > 1 ? obj.directory.replace(/\/+$/, '') : obj.directory,
    filename: obj.filename,
    event: obj.event === 'exists' ? 'exists' : 'created',
    event_timestamp: typeof obj.event_timestamp === 'number' ? obj.event_timestamp : Date.now() / 1000,
  };
}

export function messageFor(directory: string, filename: string, event: FileEvent, nowMs: number = Date.now()): QueueMessage {
  return { directory, filename, event, event_timestamp: nowMs / 1000 };
}
