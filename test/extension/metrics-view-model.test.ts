// The metrics view's model: the runtime's 10 s buckets per step become files/s, failed files and
// processing-time charts, with totals, a focused step and summaries in words.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { bucketRate, metricsModel, timeTicks } from '../../src/metrics/metricsModel';
import type { SeriesPoint, StepSeries } from '../../src/metrics/stepStats';

const base = 1_700_000_000_000; // a bucket boundary
const now = base + 65_000; // 5 s into the seventh bucket

function points(processed: number[], failed: number[], mean: Array<number | null>, p95: Array<number | null>): SeriesPoint[] {
  return processed.map((n, i) => ({ t: base + i * 10_000, processed: n, failed: failed[i], meanMs: mean[i], p95Ms: p95[i], bytes: 0 }));
}
const zeros = [0, 0, 0, 0, 0, 0, 0];
const nulls = zeros.map(() => null);
const series: StepSeries[] = [
  { plugin: 'b', step: 'zip', points: points(zeros, zeros, nulls, nulls) },
  { plugin: 'a', step: 'main', points: points([0, 10, 20, 0, 0, 0, 5], [0, 0, 1, 0, 0, 0, 0], [null, 100, 200, null, null, null, 40], [null, 150, 300, null, null, null, 60]) },
];

test('the time axis counts back from now in round minutes', () => {
  assert.deepEqual(timeTicks(now, 15).map((t) => [t.t - now, t.label]), [[-900_000, '−15 min'], [-600_000, '−10 min'], [-300_000, '−5 min'], [0, 'now']]);
  assert.equal(timeTicks(now, 60).length, 5);
});

test('a running bucket is measured over its elapsed part, never less than a second', () => {
  assert.equal(bucketRate({ t: base, processed: 20, failed: 0, meanMs: null, p95Ms: null, bytes: 0 }, 10_000, now), 2);
  assert.equal(bucketRate({ t: base + 60_000, processed: 5, failed: 0, meanMs: null, p95Ms: null, bytes: 0 }, 10_000, now), 1);
  assert.equal(bucketRate({ t: now - 100, processed: 3, failed: 0, meanMs: null, p95Ms: null, bytes: 0 }, 10_000, now), 3);
});

test('a bucket just begun is not drawn yet (its figures are still being flushed), but counts in the totals', () => {
  const early = base + 62_000; // 2 s into the seventh bucket
  const m = metricsModel(series, { now: early, minutes: 1, bucketSeconds: 10 });
  const a = m.charts.find((c) => c.id === 'throughput')!.geometry.lines.find((l) => l.key === 'a.main')!;
  assert.equal(a.path.split(' ').length, 6, 'six complete buckets, the seventh left out');
  assert.equal(m.steps[0].latestFilesPerSecond, 0, 'the latest drawn bucket had no file');
  assert.equal(m.steps[0].processed, 35);
});

test('steps are sorted, coloured by place, and totalled over the window', () => {
  const m = metricsModel(series, { now, minutes: 1, bucketSeconds: 10 });
  assert.deepEqual(m.steps.map((s) => [s.key, s.colour, s.shown, s.processed, s.failed, s.latestFilesPerSecond, s.worstP95Ms]), [
    ['a.main', 0, true, 35, 1, 1, 300],
    ['b.zip', 1, true, 0, 0, 0, null],
  ]);
  assert.equal(m.steps[0].meanMs?.toFixed(2), ((100 * 10 + 200 * 20 + 40 * 5) / 35).toFixed(2), 'bucket means weighted by files');
  assert.equal(m.steps[1].meanMs, null);
});

test('files per second: each bucket drawn at its end (or now), on a 0–2 axis', () => {
  const m = metricsModel(series, { now, minutes: 1, bucketSeconds: 10 });
  const chart = m.charts.find((c) => c.id === 'throughput')!;
  assert.deepEqual(chart.geometry.yTicks.map((t) => t.label), ['0', '0.5', '1', '1.5', '2']);
  assert.deepEqual(chart.geometry.xTicks.map((t) => [t.label, t.at]), [['−1 min', 44], ['now', 628]]);
  const a = chart.geometry.lines.find((l) => l.key === 'a.main')!;
  assert.equal(a.path, 'M92.7,148 L190,79 L287.3,10 L384.7,148 L482,148 L579.3,148 L628,79');
  assert.equal(chart.summary, 'Files per second, last minute: a/main peak 2, latest 1; b/zip peak 0, latest 0.');
});

test('failed files per bucket on a whole-number axis; processing time mean solid and p95 dashed, broken where nothing ran', () => {
  const m = metricsModel(series, { now, minutes: 1, bucketSeconds: 10 });
  const errors = m.charts.find((c) => c.id === 'errors')!;
  assert.equal(errors.title, 'Failed files per 10 s');
  assert.deepEqual(errors.geometry.yTicks.map((t) => t.label), ['0', '1']);
  const duration = m.charts.find((c) => c.id === 'duration')!;
  assert.deepEqual(duration.geometry.yTicks.map((t) => t.label), ['0', '100', '200', '300']);
  assert.deepEqual(duration.geometry.lines.map((l) => [l.key, l.dashed]), [['a.main:mean', false], ['a.main:p95', true], ['b.zip:mean', false], ['b.zip:p95', true]]);
  const mean = duration.geometry.lines[0];
  assert.equal(mean.path, 'M190,102 L287.3,56 M628,129.6');
  assert.deepEqual(mean.dots, [{ x: 628, y: 129.6 }]);
  assert.equal(duration.geometry.lines[2].path, '', 'a step that processed nothing has no time line');
  assert.equal(duration.summary, 'Processing time, last minute: a/main mean 149 ms, p95 up to 300 ms; b/zip mean –, p95 up to –.');
});

test('focusing a step draws it alone and keeps its colour; an unknown focus shows every step', () => {
  const focused = metricsModel(series, { now, minutes: 1, bucketSeconds: 10, focus: 'b.zip' });
  assert.equal(focused.focus, 'b.zip');
  assert.deepEqual(focused.steps.map((s) => [s.key, s.shown]), [['a.main', false], ['b.zip', true]]);
  for (const c of focused.charts) assert.ok(c.geometry.lines.every((l) => l.key.startsWith('b.zip') && l.colour === 1), c.id);
  assert.deepEqual(focused.summary, ['b/zip: 0 processed and 0 failed in the last minute; latest 0 files/s; mean –, p95 up to –.']);
  const unknown = metricsModel(series, { now, minutes: 1, bucketSeconds: 10, focus: 'gone.step' });
  assert.equal(unknown.focus, undefined);
  assert.equal(unknown.steps.filter((s) => s.shown).length, 2);
});

test('the summary says per step what was processed, failed, how fast and how long', () => {
  const m = metricsModel(series, { now, minutes: 1, bucketSeconds: 10 });
  assert.equal(m.summary[0], 'a/main: 35 processed and 1 failed in the last minute; latest 1 files/s; mean 149 ms, p95 up to 300 ms.');
  assert.equal(metricsModel([], { now, minutes: 15, bucketSeconds: 10 }).charts[0].summary, 'Files per second, last 15 minutes: no step.');
});
