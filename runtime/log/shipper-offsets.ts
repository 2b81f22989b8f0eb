// The log shipper's persisted positions (`<home>/var/log_shipper/offsets.json`), written atomically after each acknowledged batch.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FollowPosition } from './follow';

export interface OffsetsFile {
  version: 1;
  /** By live log file path. */
  files: Record<string, FollowPosition>;
}

/** The offsets file is unreadable: names it and says how to recover. */
export class OffsetsError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`log shipper offsets ${file}: ${detail} (delete the file to ship from the oldest log files again; ids keep that from duplicating documents)`);
    this.name = 'OffsetsError';
  }
}

export function loadOffsets(file: string): Record<string, FollowPosition> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new OffsetsError(file, (err as Error).message);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new OffsetsError(file, `not JSON: ${(err as Error).message}`);
  }
  const files = (parsed as Partial<OffsetsFile> | null)?.files;
  if (typeof files !== 'object' || files === null) throw new OffsetsError(file, "no 'files' object");
  return files;
}

/** Write to a temporary file and rename over: a crash leaves the old or the new offsets, never half a file. */
export function saveOffsets(file: string, files: Record<string, FollowPosition>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const body: OffsetsFile = { version: 1, files };
  fs.writeFileSync(tmp, JSON.stringify(body, null, 1));
  fs.renameSync(tmp, file);
}
