// A real supervised runtime writes its metrics to a real InfluxDB 1.x (its own influxd, started by the test): after N
// files (some failing) the points are in the database with MFDATA's tags and the right sums. Skipped only without influxd.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findInfluxd, startTestInfluxDb, type TestInfluxDb } from '../helpers/influxdb-server';
import { startRuntime, waitFor, writeWorkspacePlugin, type TestRuntime } from '../steps/runtime-harness';

const STEP = `
import { defineStep } from 'mfdata';
export const step = defineStep({
  process(file) { return !file.originalBasename.startsWith('bad'); },
});
`;

const NO_INFLUXD = findInfluxd() === undefined
  ? 'influxd not found: install InfluxDB 1.x (apt-get install influxdb, as scripts/setup.sh does) to run this test'
  : false;

/** sum(field) per series of `measurement` for plugin p, with the series' tags. */
async function sums(influx: TestInfluxDb, measurement: string, field: string): Promise<Array<{ tags: Record<string, string>; sum: number }>> {
  const series = await influx.query(`SELECT sum("${field}") FROM "${measurement}" WHERE "plugin" = 'p' GROUP BY *`);
  return series.map((s) => ({ tags: s.tags ?? {}, sum: Number(s.values[0]?.[1] ?? 0) }));
}

test('N files (some failing) through two supervised workers: InfluxDB holds files, errors, bytes and timer counts with module, host, plugin, step', { skip: NO_INFLUXD, timeout: 90_000 }, async (t) => {
  const influx = await startTestInfluxDb('metrics');
  const started: { runtime?: TestRuntime } = {};
  t.after(async () => {
    await started.runtime?.stop();
    await influx.stop();
  });
  const runtime = started.runtime = await startRuntime((workspace) => {
    writeWorkspacePlugin(workspace, 'p', '[step_main]\n_step_module = main.ts\nnumprocesses = 2\n');
    fs.writeFileSync(path.join(workspace, 'plugins/p/main.ts'), STEP);
    fs.writeFileSync(path.join(workspace, 'mfdata.ini'),
      `[metrics]\ninfluxdb_url = ${influx.writeUrl}\ninfluxdb_flush_interval = 1\nhost = it-host\ncollect_interval = 0\n\n[autorestart]\nflag = 0\n`);
  });
  const inbox = path.join(runtime.home.inDir, 'step.p.main');
  const N = 12;
  const FAILING = 3;
  let bytes = 0;
  for (let i = 0; i < N; i++) {
    const content = 'x'.repeat(10 + i * 7);
    bytes += content.length;
    runtime.drop(inbox, i < FAILING ? `bad-${i}.txt` : `ok-${i}.txt`, content);
  }
  const tags = { host: 'it-host', module: 'mfdata', plugin: 'p', step: 'main' };
  // Points arrive once per flush interval (1 s) per worker; wait for the whole count.
  const deadline = Date.now() + 60_000;
  let files: Array<{ tags: Record<string, string>; sum: number }> = [];
  while (Date.now() < deadline) {
    files = await sums(influx, 'number_of_processed_files', 'value');
    if (files.length === 1 && files[0].sum >= N) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual(files, [{ tags, sum: N }], `after 60 s, logs in ${runtime.home.logDir}`);
  await waitFor(() => fs.readdirSync(path.join(runtime.home.inDir, 'trash')).length > 0, 'trash');
  let errors: Array<{ tags: Record<string, string>; sum: number }> = [];
  for (const until = Date.now() + 20_000; Date.now() < until;) {
    errors = await sums(influx, 'number_of_processing_errors', 'value');
    if (errors[0]?.sum === FAILING) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual(errors, [{ tags, sum: FAILING }]);
  assert.deepEqual(await sums(influx, 'bytes_of_processed_files', 'value'), [{ tags, sum: bytes }]);
  assert.deepEqual(await sums(influx, 'processing_file_timer', 'count'), [{ tags, sum: N }]);
  const timer = await influx.query(`SELECT min("lower"), max("upper") FROM "processing_file_timer" WHERE "plugin" = 'p'`);
  const [lower, upper] = [Number(timer[0].values[0][1]), Number(timer[0].values[0][2])];
  assert.ok(lower >= 0 && upper >= lower && upper < 60_000, `timer bounds ${lower}..${upper} ms`);
  // Several points per series (one per worker and interval): none overwrote another, or the sums above would fall short.
  const points = await influx.query(`SELECT count("value") FROM "number_of_processed_files" WHERE "plugin" = 'p'`);
  assert.ok(Number(points[0].values[0][1]) >= 1);
});
