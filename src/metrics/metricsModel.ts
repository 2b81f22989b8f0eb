// The metrics view's content, pure: per-step series of the runtime (10 s buckets) → three charts
// (files per second, failed files, processing time mean and p95) with legend and text summaries.
import { chartGeometry, formatValue, type ChartGeometry, type LineInput } from './chartGeometry';
import type { SeriesPoint, StepSeries } from './stepStats';

export type MeasureId = 'throughput' | 'errors' | 'duration';

export interface MetricsStep {
  /** `<plugin>.<step>`, as the runtime's keys name a step. */
  key: string;
  plugin: string;
  step: string;
  /** Index in the chart palette, from the step's place among all steps (kept when another is focused). */
  colour: number;
  /** Drawn in the charts (every step, or the focused one). */
  shown: boolean;
  /** Over the window: files processed and failed, sums of the buckets. */
  processed: number;
  failed: number;
  /** Files per second in the newest drawn bucket (over its elapsed part when it is still running). */
  latestFilesPerSecond: number;
  /** Mean processing time over the window (bucket means weighted by files), null when nothing was processed. */
  meanMs: number | null;
  /** The highest bucket p95 of the window. */
  worstP95Ms: number | null;
}

export interface MetricsChart {
  id: MeasureId;
  title: string;
  unit: string;
  geometry: ChartGeometry;
  /** One sentence per chart, for screen readers (the SVG's description). */
  summary: string;
}

export interface MetricsViewModel {
  /** The moment the figures describe (right edge of the charts), epoch ms. */
  now: number;
  minutes: number;
  bucketSeconds: number;
  focus?: string;
  steps: MetricsStep[];
  charts: MetricsChart[];
  /** One line per shown step, in words. */
  summary: string[];
  /** The series the charts were drawn from (the tests compare them with what was processed). */
  series: StepSeries[];
}

export interface MetricsOptions {
  now: number;
  minutes: number;
  bucketSeconds: number;
  /** `<plugin>.<step>` to show alone; unknown or absent: every step. */
  focus?: string;
}

const stepKey = (s: { plugin: string; step: string }): string => `${s.plugin}.${s.step}`;

/** Time-axis ticks back from `now` by a round number of minutes, labelled relative to now. */
export function timeTicks(now: number, minutes: number): Array<{ t: number; label: string }> {
  const every = [1, 2, 5, 10, 15, 30, 60].find((m) => minutes / m <= 4) ?? Math.ceil(minutes / 4);
  const ticks: Array<{ t: number; label: string }> = [];
  for (let m = 0; m <= minutes; m += every) ticks.unshift({ t: now - m * 60_000, label: m === 0 ? 'now' : `−${m} min` });
  return ticks;
}

/** Where a bucket's figure is drawn: at its end, or at now while the bucket is still running. */
function bucketEnd(p: SeriesPoint, bucketMs: number, now: number): number {
  return Math.min(p.t + bucketMs, now);
}

/**
 * A bucket is drawn once half of it has elapsed: a bucket just begun (and not yet flushed by the workers,
 * who write their figures once a second) would show every line dropping to zero at the right edge.
 */
export function isDrawn(p: SeriesPoint, bucketMs: number, now: number): boolean {
  return now - p.t >= bucketMs / 2;
}

/** Files per second of a bucket, over its elapsed part (at least 1 s, so a bucket just begun does not spike). */
export function bucketRate(p: SeriesPoint, bucketMs: number, now: number): number {
  const elapsed = Math.max(1000, bucketEnd(p, bucketMs, now) - p.t);
  return p.processed / (elapsed / 1000);
}

function msLabel(ms: number | null): string {
  return ms === null ? '–' : `${formatValue(Number(ms.toFixed(ms < 10 ? 1 : 0)))} ms`;
}

function stepFigures(s: StepSeries, colour: number, shown: boolean, bucketMs: number, now: number): MetricsStep {
  let processed = 0;
  let failed = 0;
  let weighted = 0;
  let timed = 0;
  let worst: number | null = null;
  for (const p of s.points) {
    processed += p.processed;
    failed += p.failed;
    if (p.meanMs !== null && p.processed > 0) {
      weighted += p.meanMs * p.processed;
      timed += p.processed;
    }
    if (p.p95Ms !== null && (worst === null || p.p95Ms > worst)) worst = p.p95Ms;
  }
  const drawn = s.points.filter((p) => isDrawn(p, bucketMs, now));
  const last = drawn[drawn.length - 1];
  return {
    key: stepKey(s),
    plugin: s.plugin,
    step: s.step,
    colour,
    shown,
    processed,
    failed,
    latestFilesPerSecond: last ? bucketRate(last, bucketMs, now) : 0,
    meanMs: timed > 0 ? weighted / timed : null,
    worstP95Ms: worst,
  };
}

export function metricsModel(series: StepSeries[], opts: MetricsOptions): MetricsViewModel {
  const bucketMs = opts.bucketSeconds * 1000;
  const from = opts.now - opts.minutes * 60_000;
  const sorted = [...series].sort((a, b) => stepKey(a).localeCompare(stepKey(b)));
  const focus = opts.focus && sorted.some((s) => stepKey(s) === opts.focus) ? opts.focus : undefined;
  const steps = sorted.map((s, i) => stepFigures(s, i, focus === undefined || stepKey(s) === focus, bucketMs, opts.now));
  const shown = sorted.filter((s) => focus === undefined || stepKey(s) === focus);
  const colourOf = (s: StepSeries): number => steps.find((f) => f.key === stepKey(s))!.colour;
  const figuresOf = (s: StepSeries): MetricsStep => steps.find((f) => f.key === stepKey(s))!;
  const inWindow = (s: StepSeries): SeriesPoint[] => s.points.filter((p) => bucketEnd(p, bucketMs, opts.now) >= from && isDrawn(p, bucketMs, opts.now));
  const ticks = timeTicks(opts.now, opts.minutes);
  const chart = (lines: LineInput[], integer: boolean): ChartGeometry => chartGeometry({ from, to: opts.now, lines, timeTicks: ticks, integer });
  const label = (s: StepSeries): string => `${s.plugin}/${s.step}`;

  const throughput = shown.map((s): LineInput => ({
    key: stepKey(s),
    label: label(s),
    colour: colourOf(s),
    points: inWindow(s).map((p) => ({ t: bucketEnd(p, bucketMs, opts.now), v: bucketRate(p, bucketMs, opts.now) })),
  }));
  const errors = shown.map((s): LineInput => ({
    key: stepKey(s),
    label: label(s),
    colour: colourOf(s),
    points: inWindow(s).map((p) => ({ t: bucketEnd(p, bucketMs, opts.now), v: p.failed })),
  }));
  const duration = shown.flatMap((s): LineInput[] => [
    { key: `${stepKey(s)}:mean`, label: `${label(s)} mean`, colour: colourOf(s), points: inWindow(s).map((p) => ({ t: bucketEnd(p, bucketMs, opts.now), v: p.meanMs })) },
    { key: `${stepKey(s)}:p95`, label: `${label(s)} p95`, colour: colourOf(s), dashed: true, points: inWindow(s).map((p) => ({ t: bucketEnd(p, bucketMs, opts.now), v: p.p95Ms })) },
  ]);
  const peak = (line: LineInput): number => line.points.reduce((m, p) => (p.v !== null && p.v > m ? p.v : m), 0);
  const window = opts.minutes === 1 ? 'last minute' : `last ${opts.minutes} minutes`;
  const none = 'no step';

  const charts: MetricsChart[] = [
    {
      id: 'throughput',
      title: 'Files per second',
      unit: 'files/s',
      geometry: chart(throughput, false),
      summary: `Files per second, ${window}: ${throughput.map((l, i) => `${l.label} peak ${formatValue(Number(peak(l).toFixed(2)))}, latest ${formatValue(Number(figuresOf(shown[i]).latestFilesPerSecond.toFixed(2)))}`).join('; ') || none}.`,
    },
    {
      id: 'errors',
      title: `Failed files per ${opts.bucketSeconds} s`,
      unit: 'files',
      geometry: chart(errors, true),
      summary: `Failed files, ${window}: ${shown.map((s) => `${label(s)} ${figuresOf(s).failed}`).join('; ') || none}.`,
    },
    {
      id: 'duration',
      title: 'Processing time, mean (solid) and p95 (dashed)',
      unit: 'ms',
      geometry: chart(duration, false),
      summary: `Processing time, ${window}: ${shown.map((s) => `${label(s)} mean ${msLabel(figuresOf(s).meanMs)}, p95 up to ${msLabel(figuresOf(s).worstP95Ms)}`).join('; ') || none}.`,
    },
  ];
  const summary = steps
    .filter((f) => f.shown)
    .map((f) => `${f.plugin}/${f.step}: ${f.processed} processed and ${f.failed} failed in the ${window}; latest ${formatValue(Number(f.latestFilesPerSecond.toFixed(2)))} files/s; mean ${msLabel(f.meanMs)}, p95 up to ${msLabel(f.worstP95Ms)}.`);
  return { now: opts.now, minutes: opts.minutes, bucketSeconds: opts.bucketSeconds, focus, steps, charts, summary, series };
}
