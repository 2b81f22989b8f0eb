// File events from `inotifywait` (inotify-tools): a C reader that drains the kernel queue fast and, unlike libuv
// (fs.watch, chokidar), reports a queue overflow. Records are NUL-separated, so any file name survives.
import { spawn, type ChildProcess } from 'node:child_process';
import type { EventSource, SourceHandlers } from './event-source';
import { isUtf8Name } from './undecodable-names';

/**
 * IN_CLOSE_WRITE and IN_MOVED_TO: a file is announced once complete (written in place and closed) or renamed in
 * (the `.t` convention). MFDATA uses IN_CREATE, which announces a file written in place before its content is
 * there. Not asked for at all: it would add a third record to every file produced the `.t` way (measured: 2 → 3
 * records per file, a third less headroom in the kernel queue) only to see symbolic links and sub-directories
 * made in place, which the rescans find (docs/DELIVERY.md "Bad input"). IN_DELETE_SELF / IN_MOVE_SELF tell us a
 * watched directory went away. `q_overflow` must be asked for: inotifywait prints only the events named with -e, and the
 * kernel's IN_Q_OVERFLOW (wd -1) was silently dropped without it (measured: 16,384 events, then nothing, files lost
 * until the next forced_poll). With it, the record is `\0Q_OVERFLOW\0\0`.
 */
const EVENTS = ['close_write', 'moved_to', 'delete_self', 'move_self', 'q_overflow'];

export class InotifySource implements EventSource {
  readonly kind = 'inotifywait';
  private child: ChildProcess | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private fields: string[] = [];
  /** The name field's bytes, kept when they do not decode as UTF-8. */
  private rawName: Buffer | undefined;
  private stopped = false;

  constructor(private readonly handlers: SourceHandlers, private readonly binary = 'inotifywait') {}

  /** Resolves once every watch is established (events after that are seen), rejects if inotifywait cannot start. */
  start(directories: string[]): Promise<void> {
    this.stopped = false;
    const args = ['-m', '--no-newline', '--format', '%w%0%e%0%f%0', ...EVENTS.flatMap((e) => ['-e', e]), '--', ...directories];
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    return new Promise((resolve, reject) => {
      let established = false;
      let stderr = '';
      child.on('error', (err) => { if (!established) reject(err); });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (text: string) => {
        stderr += text;
        if (!established && stderr.includes('Watches established')) {
          established = true;
          resolve();
        }
      });
      child.stdout?.on('data', (chunk: Buffer) => this.onData(chunk));
      child.on('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        if (!established) reject(new Error(`inotifywait exited (${code ?? signal}) before watching: ${stderr.trim()}`));
        else if (!this.stopped) this.handlers.onSourceLost(`inotifywait exited (${code ?? signal}): ${stderr.trim().split('\n').pop() ?? ''}`);
      });
    });
  }

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let start = 0;
    for (;;) {
      const nul = this.pending.indexOf(0, start);
      if (nul === -1) break;
      const text = this.pending.toString('utf8', start, nul);
      // A replacement character means undecodable bytes (or a real U+FFFD): keep the bytes of a name to tell.
      if (this.fields.length === 2 && text.includes('\uFFFD')) {
        const raw = Buffer.from(this.pending.subarray(start, nul));
        if (!isUtf8Name(raw)) this.rawName = raw;
      }
      this.fields.push(text);
      start = nul + 1;
      if (this.fields.length === 3) {
        const [watched, events, name] = this.fields;
        const raw = this.rawName;
        this.fields = [];
        this.rawName = undefined;
        this.dispatch(watched, events, name, raw);
      }
    }
    this.pending = this.pending.subarray(start);
  }

  private dispatch(watched: string, events: string, name: string, rawName?: Buffer): void {
    const flags = events.split(',');
    if (flags.includes('Q_OVERFLOW')) {
      this.handlers.onOverflow();
      return;
    }
    const dir = watched.length > 1 ? watched.replace(/\/+$/, '') : watched;
    if (flags.includes('DELETE_SELF') || flags.includes('MOVE_SELF') || flags.includes('UNMOUNT')) {
      this.handlers.onDirectoryGone(dir);
      return;
    }
    if (name === '') return;
    if (flags.includes('ISDIR')) {
      if (flags.includes('MOVED_TO')) this.handlers.onSubdirectory(dir, name);
      return;
    }
    if (rawName) this.handlers.onUndecodable(dir, rawName);
    else this.handlers.onFile(dir, name);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}
