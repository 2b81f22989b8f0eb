// An append-only log file rotated by size: `file` -> `file.1` -> ... -> `file.<keep>` (the oldest is dropped).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RotationPolicy {
  /** Rotate before a write would make the file larger than this. */
  maxBytes: number;
  /** Rotated files kept (file.1 is the newest). 0 = truncate instead of keeping history. */
  keep: number;
}

export const DEFAULT_ROTATION: RotationPolicy = { maxBytes: 10 * 1024 * 1024, keep: 5 };

/**
 * Synchronous on purpose: writes from the processes of one watcher stay in order and whole lines
 * never interleave. The file is opened lazily and re-opened after rotation.
 */
export class RotatingFile {
  private fd: number | undefined;
  private size = 0;

  constructor(readonly file: string, private readonly policy: RotationPolicy = DEFAULT_ROTATION) {}

  write(data: string | Buffer): void {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.fd === undefined) this.open();
    if (this.size > 0 && this.size + buf.length > this.policy.maxBytes) {
      this.rotate();
      this.open();
    }
    fs.writeSync(this.fd as number, buf);
    this.size += buf.length;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    this.fd = fs.openSync(this.file, 'a');
    this.size = fs.fstatSync(this.fd).size;
  }

  private rotate(): void {
    this.close();
    if (this.policy.keep <= 0) {
      fs.truncateSync(this.file, 0);
      return;
    }
    fs.rmSync(`${this.file}.${this.policy.keep}`, { force: true });
    for (let i = this.policy.keep - 1; i >= 1; i--) {
      if (fs.existsSync(`${this.file}.${i}`)) fs.renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    }
    fs.renameSync(this.file, `${this.file}.1`);
  }
}
