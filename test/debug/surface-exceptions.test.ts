// Under the step debugger, a throw in step code must be "uncaught" for V8 (so js-debug's "Uncaught Exceptions"
// breakpoint stops at it) and still reach the worker, which applies the failure policy. Checked with V8's own
// inspector (pause on uncaught exceptions) in a child process: test/debug/uncaught-probe.ts.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

interface ProbeResult {
  result?: unknown;
  caught?: string;
  pauses: Array<{ paused: string; function: string; error: string }>;
}

function probe(how: 'plain' | 'surfaced', which: 'sync' | 'early' | 'late' | 'ok'): ProbeResult {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'uncaught-probe.js'), how, which], { encoding: 'utf8', timeout: 20_000 });
  return JSON.parse(out) as ProbeResult;
}

test('called the way the worker calls a step (inside its try/catch), a throw is caught for V8: "Uncaught Exceptions" would not stop', () => {
  for (const which of ['sync', 'early', 'late'] as const) {
    const r = probe('plain', which);
    assert.ok(r.caught, `${which}: the worker still gets the error`);
    assert.deepEqual(r.pauses, [], `${which}: no pause`);
  }
});

test('through callSurfacingExceptions, V8 pauses at the throw inside the step function (sync, async before and after an await)', () => {
  const expected = { sync: ['syncStep', 'sync boom'], early: ['asyncStepBeforeAwait', 'early boom'], late: ['asyncStepAfterAwait', 'late boom'] } as const;
  for (const which of ['sync', 'early', 'late'] as const) {
    const r = probe('surfaced', which);
    assert.equal(r.pauses.length, 1, `${which}: exactly one pause, got ${JSON.stringify(r.pauses)}`);
    assert.equal(r.pauses[0].function, expected[which][0], `${which}: paused in the step function`);
    assert.match(r.pauses[0].error, new RegExp(expected[which][1]));
    assert.equal(r.caught, expected[which][1], `${which}: the caller still receives the error (failure policy applies)`);
  }
});

test('a step that succeeds through callSurfacingExceptions returns its value and never pauses', () => {
  assert.deepEqual(probe('surfaced', 'ok'), { result: true, pauses: [] });
});
