// The runtime's per-step figures (runtime/stats) in words for the Plugins view: a short rate and
// error count for a step's description, and the detail (last minute, since start) for its tooltip.
import type { StepFigures, StepStats } from '../metrics/stepStats';

/** `0`, `0.02`, `0.3`, `12.3`, `250`: enough digits to tell a trickle from nothing. */
export function formatRate(perSecond: number): string {
  if (!(perSecond > 0)) return '0';
  const digits = perSecond < 0.1 ? 2 : perSecond < 100 ? 1 : 0;
  const shown = Number(perSecond.toFixed(digits));
  return shown === 0 ? '<0.01' : String(shown);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${Number(v.toFixed(1))} ${units[i]}`;
}

function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  return `${Number(ms.toFixed(ms < 10 ? 1 : 0))} ms`;
}

/** The step's description suffix: `12.3 files/s · 2 errors (1 min)`. */
export function stepRateDescription(stats: StepStats): string {
  const failed = stats.lastMinute.failed;
  return `${formatRate(stats.lastMinute.filesPerSecond)} files/s · ${failed} error${failed === 1 ? '' : 's'} (1 min)`;
}

function figuresLine(title: string, f: StepFigures): string {
  return `${title}: ${f.processed} processed, ${f.failed} failed, ${formatBytes(f.bytes)}, ${formatRate(f.filesPerSecond)} files/s, mean ${formatMs(f.meanMs)}, p95 ${formatMs(f.p95Ms)}`;
}

/** Tooltip lines: the last minute, since the start, and the queue. */
export function stepStatsTooltip(stats: StepStats): string[] {
  return [figuresLine('last minute', stats.lastMinute), figuresLine('since start', stats.sinceStart), `queue length: ${stats.queueLength}`];
}
