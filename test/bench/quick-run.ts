// Test helper: runs one benchmark through `scripts/run-bench.mjs --quick` and reads back its summary table.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

export interface QuickRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Rows of the summary table: figure, target, measured, baseline, ratio, verdict. */
  rows: string[][];
}

/** Cells of the markdown rows under a `## summary:` heading (header and separator left out). */
export function summaryRows(stdout: string): string[][] {
  const at = stdout.indexOf('## summary:');
  if (at < 0) return [];
  return stdout.slice(at).split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| figure |') && !l.startsWith('| ---'))
    .map((l) => l.slice(2, -2).split(' | '));
}

export function runQuick(bench: string, timeoutMs = 240_000): Promise<QuickRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/run-bench.mjs'), '--quick', bench], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGTERM'); reject(new Error(`bench ${bench} --quick took over ${timeoutMs} ms\n${stdout}\n${stderr}`)); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, rows: summaryRows(stdout) }); });
  });
}
