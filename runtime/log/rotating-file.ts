// An append-only log file rotated by size and by age, keeping N rotated files (the supervisor's stdout/stderr sink).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listRotated, rotatedName } from './rotated-files';

export interface RotationOptions {
  /** Rotate before a write that would start past this size (0 = never by size). MFDATA: 100 MB. */
  maxBytes: number;
  /** Rotate before a write when the file is older than this (0 = never by age). MFDATA: 86400 s. */
  maxAgeSeconds: number;
  /** Rotated files kept; older ones are deleted. MFDATA: 5. */
  keep: number;
  /** File mode of new files (MFDATA: 0644). */
  mode?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export const DEFAULT_ROTATION: RotationOptions = { maxBytes: 100 * 1024 * 1024, maxAgeSeconds: 86400, keep: 5 };

/** Something went wrong writing or rotating a log file; names the file. */
export class LogFileError extends Error {
  constructor(readonly file: string, detail: string, options?: { cause?: unknown }) {
    super(`log file ${file}: ${detail}`, options);
    this.name = 'LogFileError';
  }
}

/** Receives chunks from one source (a process's stdout) and writes only whole lines, so sources never interleave mid-line. */
export interface LineSink {
  write(chunk: string | Buffer): void;
  /** Writes what is left of an unterminated last line (with a newline added). */
  end(): void;
}

export class RotatingFile {
  private fd: number | undefined;
  private size = 0;
  private openedAt = 0;
  private readonly options: Required<RotationOptions>;

  constructor(readonly file: string, options: Partial<RotationOptions> = {}) {
    this.options = { ...DEFAULT_ROTATION, mode: 0o644, now: Date.now, ...options };
  }

  /** Appends data. Callers write whole lines (see lineSink) so a rotation never splits one. */
  write(data: string | Buffer): void {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    if (buf.length === 0) return;
    const fd = this.open();
    if (this.size > 0 && this.due(buf.length)) {
      this.rotate();
      return this.write(buf);
    }
    try {
      fs.writeSync(fd, buf);
    } catch (err) {
      throw new LogFileError(this.file, `cannot append: ${(err as Error).message}`, { cause: err });
    }
    this.size += buf.length;
  }

  /** A per-source sink that holds an incomplete last line until its newline arrives. */
  lineSink(): LineSink {
    let pending = '';
    return {
      write: (chunk) => {
        const text = pending + chunk.toString();
        const cut = text.lastIndexOf('\n');
        if (cut === -1) {
          pending = text;
          return;
        }
        pending = text.slice(cut + 1);
        this.write(text.slice(0, cut + 1));
      },
      end: () => {
        if (pending !== '') this.write(pending + '\n');
        pending = '';
      },
    };
  }

  /** Renames the live file to `<file>.<UTC stamp>`, starts a new one and deletes rotated files beyond `keep`. */
  rotate(): void {
    this.close();
    try {
      if (fs.existsSync(this.file) && fs.statSync(this.file).size > 0) {
        fs.renameSync(this.file, rotatedName(this.file, this.options.now()));
      }
      const rotated = listRotated(this.file);
      for (const old of rotated.slice(0, Math.max(0, rotated.length - this.options.keep))) fs.rmSync(old, { force: true });
    } catch (err) {
      throw new LogFileError(this.file, `cannot rotate: ${(err as Error).message}`, { cause: err });
    }
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private due(incoming: number): boolean {
    const { maxBytes, maxAgeSeconds, now } = this.options;
    if (maxBytes > 0 && this.size + incoming > maxBytes) return true;
    return maxAgeSeconds > 0 && now() - this.openedAt >= maxAgeSeconds * 1000;
  }

  private open(): number {
    if (this.fd !== undefined) return this.fd;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const existed = fs.existsSync(this.file);
      this.fd = fs.openSync(this.file, 'a', this.options.mode);
      const st = fs.fstatSync(this.fd);
      if (!existed) fs.fchmodSync(this.fd, this.options.mode);
      this.size = st.size;
      // An existing file keeps its age across supervisor restarts (birth time where the file system has one).
      this.openedAt = existed ? (st.birthtimeMs > 0 ? st.birthtimeMs : st.mtimeMs) : this.options.now();
      return this.fd;
    } catch (err) {
      throw new LogFileError(this.file, `cannot open: ${(err as Error).message}`, { cause: err });
    }
  }
}
