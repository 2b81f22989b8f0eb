// `mfdata stats` as text: one aligned row per step, the last minute then since start (pure).
import type { StepFigures, StepStats } from './read';

/** `950 B`, `12.3 KiB`, `4.0 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** `0.42ms`, `51.3ms`, `1.20s`; `-` when unknown. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '-';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  return `${ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)}ms`;
}

function formatRate(r: number): string {
  return r === 0 ? '0' : r >= 100 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2);
}

function cells(f: StepFigures): string[] {
  return [String(f.processed), String(f.failed), formatBytes(f.bytes), formatMs(f.meanMs), formatMs(f.p95Ms), formatRate(f.filesPerSecond)];
}

const FIGURE_HEADERS = ['FILES', 'FAILED', 'BYTES', 'MEAN', 'P95', 'FILES/S'];

export function renderStats(stats: readonly StepStats[]): string {
  if (stats.length === 0) return 'no step\n';
  const header = ['STEP', 'QUEUE', ...FIGURE_HEADERS, '|', ...FIGURE_HEADERS];
  const rows = [header, ...stats.map((s) => [`${s.plugin}/${s.step}`, String(s.queueLength), ...cells(s.lastMinute), '|', ...cells(s.sinceStart)])];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  // Names left-aligned, figures right-aligned so digits line up.
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const lastMinuteCol = widths[0] + 2 + widths[1] + 2;
  const sinceCol = lastMinuteCol + FIGURE_HEADERS.reduce((sum, _, i) => sum + widths[2 + i] + 2, 0) + widths[2 + FIGURE_HEADERS.length] + 2;
  const title = `${' '.repeat(lastMinuteCol)}${'last minute'.padEnd(sinceCol - lastMinuteCol)}since start`;
  const out = [title, ...rows.map(line)];
  const batch = stats.filter((s) => s.sinceStart.batches > 0);
  if (batch.length > 0) {
    out.push('');
    for (const s of batch) {
      const f = s.sinceStart;
      out.push(`${s.plugin}/${s.step}: ${f.batches} batches since start, ${f.batchesFailed} with a failure, mean ${formatMs(f.batchMeanMs)} per batch`);
    }
  }
  return `${out.join('\n')}\n`;
}
