// `npm run bench -- --quick`, as CI runs it: the throughput and latency benchmarks run end to end against a real
// runtime and print a summary table with a number in every measured cell (the values themselves are not checked).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runQuick, type QuickRun } from './quick-run';

function assertTable(run: QuickRun, figures: RegExp[]): void {
  assert.equal(run.code, 0, `the benchmark failed:\n${run.stdout}\n${run.stderr}`);
  assert.ok(run.rows.length > 0, `no summary table in:\n${run.stdout}`);
  for (const row of run.rows) {
    assert.equal(row.length, 6, `a summary row has 6 cells: ${row.join(' | ')}`);
    assert.match(row[2], /^\d[\d,]*(\.\d+)? /, `measured cell of "${row[0]}" is a number: ${row[2]}`);
    assert.ok(['met', 'NOT met', '—'].includes(row[5]), `verdict of "${row[0]}": ${row[5]}`);
  }
  for (const f of figures) assert.ok(run.rows.some((r) => f.test(r[0])), `the table has a row matching ${f}`);
}

test('the throughput benchmark prints files/s of 2 workers on tmpfs and disk next to the bare loop, with the 3,000 files/s and 70 % targets judged', { timeout: 300_000 }, async () => {
  const run = await runQuick('throughput');
  assertTable(run, [/^2 workers, tmpfs$/, /^2 workers, disk$/, /^bare rename rate, tmpfs/, /^2 workers \/ bare loop, tmpfs$/]);
  const two = run.rows.find((r) => r[0] === '2 workers, tmpfs');
  assert.match(two?.[1] ?? '', /≥ 3,000 files\/s/);
  assert.match(two?.[3] ?? '', /^bare loop, 2 consumers: \d/);
  assert.match(two?.[4] ?? '', /^\d+ %$/);
});

test('the latency benchmark prints p50, p95 and p99 at 200 and 1,000 files/s next to the bare chain, with p99 ≤ 3 ms at 200 judged', { timeout: 300_000 }, async () => {
  const run = await runQuick('latency');
  assertTable(run, [/^p50 at 200 files\/s/, /^p95 at 1000 files\/s/, /^p99 at 1000 files\/s/, /^CPU per file at 200 files\/s/]);
  const p99 = run.rows.find((r) => r[0].startsWith('p99 at 200 files/s'));
  assert.match(p99?.[1] ?? '', /≤ 3\.00 ms/);
  assert.match(p99?.[3] ?? '', /^bare chain: \d/);
});
