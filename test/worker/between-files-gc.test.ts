// Between files, with the queue drained, a worker scavenges V8's young generation once it is half full, so the
// scavenge V8 would otherwise make lands outside any file's claim; below that, or without --expose-gc, nothing runs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BetweenFilesGc, SCAVENGE_AT_FRACTION } from '../../runtime/worker/between-files-gc';

/** V8's real gc function, as a worker gets it under --expose-gc (the test process runs without the flag). */
function v8Gc(): (options?: { type: 'minor' | 'major' }) => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
}

function youngUsedFraction(): number {
  const s = getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
  assert.ok(s, 'V8 reports a new_space');
  return s.space_used_size / (s.space_used_size + s.space_available_size);
}

/** Allocates short-lived objects until the young generation is past `fraction` (a scavenge by V8 may reset it meanwhile). */
function fillYoung(fraction: number): void {
  let keep: unknown[] = [];
  for (let i = 0; i < 1_000_000 && youngUsedFraction() < fraction; i++) {
    keep.push({ i, s: `garbage ${i}` });
    if (keep.length > 64) keep = [];
  }
  assert.ok(youngUsedFraction() >= fraction, `young generation filled past ${fraction}`);
}

test(`past ${SCAVENGE_AT_FRACTION * 100} % of the young generation, a scavenge runs before the pop and frees the garbage`, () => {
  const gc = v8Gc();
  let calls = 0;
  const between = new BetweenFilesGc(() => { calls++; gc({ type: 'minor' }); });
  fillYoung(SCAVENGE_AT_FRACTION + 0.1);
  const before = youngUsedFraction();
  between.beforeIdlePop();
  assert.equal(calls, 1);
  assert.equal(between.scavenges, 1);
  // What survives depends on the test runner's own live objects: the garbage is gone, whatever the rest holds.
  assert.ok(youngUsedFraction() < before, `young generation ${before} before the scavenge, ${youngUsedFraction()} after`);
});

test('below the fraction nothing is collected (a trickle of small files costs one check each, no GC)', () => {
  let calls = 0;
  // No young generation is ever more than full: with a fraction above 1 the check must always say no.
  const between = new BetweenFilesGc(() => { calls++; }, 1.01);
  for (let i = 0; i < 100; i++) between.beforeIdlePop();
  assert.equal(calls, 0);
  assert.equal(between.scavenges, 0);
});

test('without --expose-gc (no scavenge function) there is nothing to call', () => {
  const between = new BetweenFilesGc(undefined);
  fillYoung(SCAVENGE_AT_FRACTION + 0.1);
  between.beforeIdlePop();
  assert.equal(between.scavenges, 0);
});
