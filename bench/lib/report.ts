// What a benchmark prints: a progress line while it runs (\r-updated on a terminal, plain lines otherwise) and,
// at the end, a summary table (markdown) with target, measured median [min–max], baseline, ratio and met / NOT met.
import * as os from 'node:os';
import type { Spread } from './stats';

/** A goal on the median: at least or at most `value`. */
export interface Target {
  atLeast?: number;
  atMost?: number;
}

export interface Row {
  figure: string;
  unit: string;
  measured: Spread | undefined;
  digits?: number;
  target?: Target;
  baseline?: { label: string; value: Spread | undefined };
  /** measured / baseline as a percentage (throughput) or a factor (costs). */
  ratio?: 'percent' | 'factor';
}

export function formatNumber(v: number, digits: number): string {
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatSpread(s: Spread | undefined, digits: number, unit: string): string {
  if (!s) return 'n/a';
  const range = s.runs > 1 ? ` [${formatNumber(s.min, digits)}–${formatNumber(s.max, digits)}]` : '';
  return `${formatNumber(s.median, digits)}${range} ${unit}`.trim();
}

function targetText(t: Target | undefined, digits: number, unit: string): string {
  if (!t) return '—';
  if (t.atLeast !== undefined) return `≥ ${formatNumber(t.atLeast, digits)} ${unit}`.trim();
  if (t.atMost !== undefined) return `≤ ${formatNumber(t.atMost, digits)} ${unit}`.trim();
  return '—';
}

/** "met" / "NOT met" on the median; "—" without a target or a figure. */
export function verdict(row: Row): string {
  const m = row.measured?.median;
  if (!row.target || m === undefined) return '—';
  if (row.target.atLeast !== undefined) return m >= row.target.atLeast ? 'met' : 'NOT met';
  if (row.target.atMost !== undefined) return m <= row.target.atMost ? 'met' : 'NOT met';
  return '—';
}

function ratioText(row: Row): string {
  const m = row.measured?.median;
  const b = row.baseline?.value?.median;
  if (!row.ratio || m === undefined || b === undefined || b === 0) return '—';
  return row.ratio === 'percent' ? `${formatNumber((100 * m) / b, 0)} %` : `× ${formatNumber(m / b, 2)}`;
}

/** Progress on one line: rewritten in place on a terminal, one plain line per update otherwise (CI logs). */
export class Progress {
  private readonly tty = process.stdout.isTTY === true;
  private last = '';

  constructor(private readonly bench: string) {}

  update(text: string): void {
    const lineText = `[${this.bench}] ${text}`;
    if (this.tty) {
      const width = Math.max(20, (process.stdout.columns ?? 120) - 1);
      process.stdout.write(`\r${lineText.slice(0, width).padEnd(Math.min(width, this.last.length))}`);
    } else {
      process.stdout.write(`${lineText}\n`);
    }
    this.last = lineText;
  }

  /** Ends the progress line so that what follows starts on its own line. */
  done(): void {
    if (this.tty && this.last !== '') process.stdout.write('\n');
    this.last = '';
  }
}

/** The machine and the moment, printed at the top of each benchmark. */
export function machineLine(): string {
  return `${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), Linux ${os.release()}, node ${process.version}, ${new Date().toISOString()}`;
}

export function loadLine(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

/** Prints the summary table (markdown, ready for docs/BENCHMARKS.md). */
export function printSummary(title: string, rows: readonly Row[], notes: readonly string[] = []): void {
  const out = [`\n## summary: ${title}`, '', '| figure | target | measured: median [min–max] | baseline (same run) | ratio | verdict |', '| --- | --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    const d = r.digits ?? 0;
    const base = r.baseline ? `${r.baseline.label}: ${formatSpread(r.baseline.value, d, r.unit)}` : '—';
    out.push(`| ${r.figure} | ${targetText(r.target, d, r.unit)} | ${formatSpread(r.measured, d, r.unit)} | ${base} | ${ratioText(r)} | ${verdict(r)} |`);
  }
  for (const n of notes) out.push('', n);
  console.log(out.join('\n'));
}
