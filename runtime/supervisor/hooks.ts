// before_start / after_stop hooks: an argument vector run to completion; exit code 200 means
// "skip silently" (MFDATA's circus hooks convention), any other non-zero code is a warning.
import { spawn } from 'node:child_process';

export type HookOutcome =
  | { kind: 'ok' }
  /** Exit code 200: for before_start the watcher is not started, and nothing is reported. */
  | { kind: 'skip' }
  | { kind: 'warning'; message: string };

export const HOOK_SKIP_CODE = 200;

/** Pure: what an exit of a hook means. */
export function classifyHookExit(argv: readonly string[], code: number | null, signal: string | null, stderrTail: string): HookOutcome {
  if (code === 0) return { kind: 'ok' };
  if (code === HOOK_SKIP_CODE) return { kind: 'skip' };
  const how = code !== null ? `exit code ${code}` : `signal ${signal ?? 'unknown'}`;
  const tail = stderrTail.trim() === '' ? '' : `: ${stderrTail.trim()}`;
  return { kind: 'warning', message: `hook ${JSON.stringify(argv)} failed (${how})${tail}` };
}

export interface HookOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Killed after this long (then reported as a warning). */
  timeoutMs?: number;
}

export function runHook(argv: readonly string[], opts: HookOptions): Promise<HookOutcome> {
  return new Promise((resolve) => {
    if (argv.length === 0) {
      resolve({ kind: 'ok' });
      return;
    }
    let stderr = '';
    const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => { stderr = (stderr + d).slice(-2000); });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ kind: 'warning', message: `hook ${JSON.stringify(argv)} could not run: ${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(classifyHookExit(argv, code, signal, stderr.split('\n').filter((l) => l.trim() !== '').pop() ?? ''));
    });
  });
}
