// `npm run bench -- --quick`, as CI runs it: the cost and scale benchmarks run end to end against a real runtime and
// print a summary table with a number in every measured cell (the values themselves are not checked).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runQuick } from './quick-run';

test('the cost benchmark prints CPU per file by process, idle wake-ups and RSS of each process, worker and runtime start and stop times', { timeout: 300_000 }, async () => {
  const run = await runQuick('cost');
  assert.equal(run.code, 0, `the benchmark failed:\n${run.stdout}\n${run.stderr}`);
  for (const row of run.rows) assert.match(row[2], /^\d[\d,]*(\.\d+)? /, `measured cell of "${row[0]}" is a number: ${row[2]}`);
  for (const f of [/^CPU per file, observer/, /^CPU per file, workers/, /^CPU per file, redis/, /^CPU per file, supervisor/, /^idle wake-ups, step\.bench\.main/,
    /^RSS, step\.bench\.main/, /^worker start → first process\(\)$/, /^`mfdata start` → every watcher up$/, /^`mfdata stop` → no process left$/]) {
    assert.ok(run.rows.some((r) => f.test(r[0])), `the table has a row matching ${f}:\n${run.stdout}`);
  }
  assert.match(run.rows.find((r) => r[0].startsWith('RSS, step.bench.main'))?.[1] ?? '', /≤ 45\.0 MB/);
});

test('the scale benchmark prints throughput and latency with several plugins, and the start-up rescan of a backlog with its memory', { timeout: 300_000 }, async () => {
  const run = await runQuick('scale');
  assert.equal(run.code, 0, `the benchmark failed:\n${run.stdout}\n${run.stderr}`);
  for (const row of run.rows) assert.match(row[2], /^\d[\d,]*(\.\d+)? /, `measured cell of "${row[0]}" is a number: ${row[2]}`);
  for (const f of [/^1 plugin: throughput/, /^5 plugins: throughput/, /^5 plugins: p99 at 200 files\/s/, /files waiting: all announced \(rescan\)$/, /files waiting: observer peak RSS$/]) {
    assert.ok(run.rows.some((r) => f.test(r[0])), `the table has a row matching ${f}:\n${run.stdout}`);
  }
});
