// libmagic file descriptions through one long-lived `file -n -b -f -` process per worker (fed one path per line).
// Why not a native binding: none is well kept for Node 20 without a compiler at install; file(1) is libmagic itself,
// so MFDATA rules like `gzip compressed data*` see the same text as python-magic gave them.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { lazyBuiltins } from '../util/lazy-builtins';

export const MAGIC_EXCEPTION = 'magic_exception';

export class FileMagic {
  private child: ChildProcessWithoutNullStreams | undefined;
  private buffer = '';
  private waiting: { resolve(line: string): void; timer: NodeJS.Timeout }[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  /** @param magicFile a custom magic database (`file -m`), for the `custom_magic` tag */
  constructor(private readonly magicFile?: string, private readonly fileCommand = 'file', private readonly timeoutMs = 5000) {}

  private extraArgs(): string[] {
    return this.magicFile ? ['-m', this.magicFile] : [];
  }

  /** True when `file` can be run here (else every description is `magic_exception`). */
  available(): boolean {
    return lazyBuiltins.childProcess().spawnSync(this.fileCommand, ['--version']).status === 0;
  }

  private start(): ChildProcessWithoutNullStreams {
    const child = lazyBuiltins.childProcess().spawn(this.fileCommand, [...this.extraArgs(), '-n', '-b', '-f', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) !== -1) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const w = this.waiting.shift();
        if (w) { clearTimeout(w.timer); w.resolve(line); }
      }
    });
    const fail = (): void => {
      if (this.child === child) this.child = undefined;
      for (const w of this.waiting.splice(0)) { clearTimeout(w.timer); w.resolve(MAGIC_EXCEPTION); }
    };
    child.on('exit', fail);
    child.on('error', fail);
    child.stdin.on('error', fail);
    return child;
  }

  /** The libmagic description of a file, or `magic_exception`. One request at a time (answers come in order). */
  describe(filePath: string): Promise<string> {
    const run = async (): Promise<string> => {
      if (/[\n\r]/.test(filePath)) return this.oneShot(filePath);
      this.child ??= this.start();
      const child = this.child;
      return new Promise<string>((resolve) => {
        const timer = setTimeout(() => {
          // A hung `file`: kill it; the next call starts a fresh one.
          const i = this.waiting.findIndex((w) => w.timer === timer);
          if (i !== -1) this.waiting.splice(i, 1);
          child.kill('SIGKILL');
          resolve(MAGIC_EXCEPTION);
        }, this.timeoutMs);
        this.waiting.push({ resolve, timer });
        child.stdin.write(`${filePath}\n`);
      });
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Names with a newline cannot go through the line protocol: one process for that file. */
  private oneShot(filePath: string): string {
    const r = lazyBuiltins.childProcess().spawnSync(this.fileCommand, [...this.extraArgs(), '-b', '--', filePath], { encoding: 'utf8', timeout: this.timeoutMs });
    return r.status === 0 ? r.stdout.trim() : MAGIC_EXCEPTION;
  }

  close(): void {
    this.child?.stdin.end();
    this.child?.kill();
    this.child = undefined;
  }
}

/** `ascii_header`: the first bytes, keeping only printable ASCII (32–126), stripped. */
export function asciiHeader(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) if (b >= 32 && b <= 126) out += String.fromCharCode(b);
  return out.trim();
}
