// The latency histogram of the step stats: bucket boundaries and percentiles from known inputs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { HIST_MAX_INDEX, histIndex, histQuantile, histUpperMs } from '../../runtime/stats/histogram';
import { addTime, emptyRecord, mergeInto, parseRecord, recordIncrements } from '../../runtime/stats/record';

test('bucket 0 holds every time up to 10 µs, including zero and nonsense', () => {
  for (const ms of [0, 0.001, 0.01, -5, Number.NaN]) assert.equal(histIndex(ms), 0, String(ms));
  assert.equal(histUpperMs(0), 0.01);
});

test('each doubling of the time is 8 buckets, and a time exactly on a bound belongs to the bucket it bounds', () => {
  assert.equal(histIndex(0.02), 8);
  assert.equal(histUpperMs(8), 0.02);
  assert.equal(histIndex(0.0200001), 9);
  assert.equal(histIndex(1.28), 56); // 0.01 × 2^7
  assert.equal(histUpperMs(56), 1.28);
  assert.equal(histIndex(1.2800001), 57);
  assert.equal(histIndex(10.24), 80); // 0.01 × 2^10
  assert.equal(histIndex(10.239), 80);
});

test('every time is at most its bucket bound and above the previous bound (≤ 9 % error)', () => {
  for (let ms = 0.011; ms < 1e7; ms *= 1.37) {
    const k = histIndex(ms);
    assert.ok(ms <= histUpperMs(k) * (1 + 1e-12), `${ms} ≤ bound of ${k}`);
    assert.ok(ms > histUpperMs(k - 1), `${ms} > bound of ${k - 1}`);
    assert.ok(histUpperMs(k) / ms < 2 ** (1 / 8) + 1e-9);
  }
});

test('times beyond ~3 hours land in the last bucket', () => {
  assert.equal(histIndex(1e12), HIST_MAX_INDEX);
  assert.equal(histIndex(histUpperMs(HIST_MAX_INDEX) * 2), HIST_MAX_INDEX);
});

test('p95 is the bound of the bucket holding the ⌈0.95·n⌉-th smallest time', () => {
  const hist = new Map([[56, 95], [80, 5]]);
  assert.equal(histQuantile(hist, 0.95), 1.28);
  const hist2 = new Map([[56, 94], [80, 6]]);
  assert.equal(histQuantile(hist2, 0.95), 10.24);
  assert.equal(histQuantile(new Map(), 0.95), null);
  assert.equal(histQuantile(new Map([[8, 1]]), 0.95), 0.02);
});

test('p95 of 1..100 ms is the bound of 95 ms’s bucket: at least 95 ms and less than 9 % above', () => {
  const r = emptyRecord();
  for (let ms = 1; ms <= 100; ms++) addTime(r, ms);
  const p95 = histQuantile(r.hist, 0.95);
  assert.equal(p95, histUpperMs(histIndex(95)));
  assert.ok(p95 !== null && p95 >= 95 && p95 < 95 * 1.0906);
  assert.equal(r.timed, 100);
  assert.equal(r.msSum, 5050);
});

test('a record survives its Redis hash form, and merged buckets give the same percentile as one', () => {
  const a = emptyRecord();
  const b = emptyRecord();
  for (let i = 0; i < 50; i++) addTime(a, 2);
  for (let i = 0; i < 50; i++) addTime(b, 40);
  a.processed = 50; a.bytes = 500; b.processed = 50; b.failed = 3;
  const asHash = (r: typeof a): Record<string, string> => {
    const { ints, floats } = recordIncrements(r);
    return Object.fromEntries([...ints, ...floats].map(([f, v]) => [f, String(v)]));
  };
  const merged = mergeInto(parseRecord(asHash(a)), parseRecord(asHash(b)));
  assert.equal(merged.processed, 100);
  assert.equal(merged.failed, 3);
  assert.equal(merged.bytes, 500);
  assert.equal(merged.timed, 100);
  assert.equal(merged.msSum, 2100);
  assert.equal(histQuantile(merged.hist, 0.95), histUpperMs(histIndex(40)));
  assert.equal(histQuantile(merged.hist, 0.5), histUpperMs(histIndex(2)));
  assert.deepEqual(parseRecord({ junk: 'x', processed: 'NaN', h3: '2' }).hist.get(3), 2);
});
