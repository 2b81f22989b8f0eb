// The metrics_collector watcher of a real supervised runtime: every collect_interval it sends var_in_files, metwork_module,
// mfdata_queue and metwork_version to the [metrics] sinks (line protocol to an HTTP server that records, statsd to UDP).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { generateSupervisorConfig } from '../../runtime/config/generate/watchers';
import { countFiles } from '../../runtime/metrics/collect/collector';
import { startRuntime, waitFor, writeWorkspacePlugin } from '../steps/runtime-harness';
import { makeHome } from '../datapath/harness';

interface Line { measurement: string; tags: Record<string, string>; fields: Record<string, string> }

/** Splits a line-protocol line (the collector's: no escaped separators in these names). */
function parseLine(line: string): Line {
  const [series, fieldText] = line.split(' ');
  const [measurement, ...tagPairs] = series.split(',');
  const pairs = (list: string[]): Record<string, string> => Object.fromEntries(list.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  return { measurement, tags: pairs(tagPairs), fields: pairs(fieldText.match(/[^,]+="[^"]*"|[^,]+/g) ?? []) };
}

async function recordingInflux(): Promise<{ url: string; lines: Line[]; close(): Promise<void> }> {
  const lines: Line[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => {
      for (const l of body.split('\n')) if (l.trim()) lines.push(parseLine(l));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/write?db=metrics`, lines, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

test('collector measurements from a running runtime: files left in an inbox, per-plugin processes, queue lengths, runtime status', { timeout: 90_000 }, async (t) => {
  const influx = await recordingInflux();
  const udp = dgram.createSocket('udp4');
  const statsd: string[] = [];
  udp.on('message', (m) => statsd.push(...m.toString().split('\n')));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  const closeAll = async (): Promise<void> => { await influx.close(); await new Promise<void>((r) => udp.close(() => r())); };
  const runtime = await startRuntime((workspace) => {
    writeWorkspacePlugin(workspace, 'busy', '[step_main]\n_step_module = main.ts\n');
    fs.writeFileSync(path.join(workspace, 'plugins/busy/main.ts'), 'export function process() { return true; }\n');
    // No worker: what lands in its inbox stays there, and stays queued.
    writeWorkspacePlugin(workspace, 'idle', '[step_main]\n_step_module = main.ts\nnumprocesses = 0\n');
    fs.writeFileSync(path.join(workspace, 'plugins/idle/main.ts'), 'export function process() { return true; }\n');
    fs.writeFileSync(path.join(workspace, 'mfdata.ini'), [
      '[metrics]', `influxdb_url = ${influx.url}`, 'influxdb_flush_interval = 1', `statsd_host = 127.0.0.1`, `statsd_port = ${(udp.address()).port}`,
      'host = coll-host', 'collect_interval = 1', '', '[autorestart]', 'flag = 0', '',
    ].join('\n'));
  }).catch(async (err: unknown) => { await closeAll(); throw err; });
  t.after(async () => { await runtime.stop(); await closeAll(); });

  const inbox = path.join(runtime.home.inDir, 'step.idle.main');
  for (let i = 0; i < 5; i++) runtime.drop(inbox, `left-${i}.txt`, 'x');
  const latest = (measurement: string, match: Record<string, string>): Line | undefined =>
    influx.lines.filter((l) => l.measurement === measurement && Object.entries(match).every(([k, v]) => l.tags[k] === v)).at(-1);
  await waitFor(() => latest('var_in_files', { directory_name: 'step.idle.main' })?.fields.file_count === '5'
    && latest('mfdata_queue', { plugin: 'idle' })?.fields.length === '5', 'the 5 files counted and queued', 60_000, runtime.home.logDir);

  const files = latest('var_in_files', { directory_name: 'step.idle.main' }) as Line;
  assert.deepEqual(files.tags, { module: 'mfdata', host: 'coll-host', directory_name: 'step.idle.main' });
  assert.deepEqual(latest('mfdata_queue', { plugin: 'idle' })?.tags, { module: 'mfdata', host: 'coll-host', plugin: 'idle', step: 'main' });
  assert.equal(latest('mfdata_queue', { plugin: 'busy' })?.fields.length, '0');

  const busy = latest('metwork_module', { plugin: 'busy' }) as Line;
  assert.ok(busy, 'metwork_module for the plugin with a worker');
  assert.ok(Number(busy.fields.num_threads) >= 1 && Number(busy.fields.num_fds) >= 3, JSON.stringify(busy.fields));
  assert.ok(Number(busy.fields.mem_percent) > 0 && Number(busy.fields.mem_percent) < 100, JSON.stringify(busy.fields));
  assert.ok(Number(busy.fields.cpu_percent) >= 0 && Number(busy.fields.cpu_percent) <= 100 * 64, JSON.stringify(busy.fields));
  const core = latest('metwork_module', { plugin: '#core#' }) as Line;
  // Supervisor, redis, observer at least: more threads than the one worker.
  assert.ok(Number(core.fields.num_threads) > Number(busy.fields.num_threads), JSON.stringify(core.fields));
  assert.deepEqual(latest('metwork_module', { plugin: 'idle' })?.fields.num_threads, '0');

  const version = latest('metwork_version', {}) as Line;
  assert.deepEqual(version.tags, { module: 'mfdata', host: 'coll-host', modname: 'mfdata', bypassbasicstats: '1' });
  assert.equal(version.fields.status, '"RUNNING"');
  assert.equal(version.fields.status_code, '0');
  assert.match(version.fields.version, /^"\d+\.\d+\.\d+.*"$/);

  // statsd: one gauge per numeric field, named <measurement>_<field>.
  await waitFor(() => statsd.includes('var_in_files_file_count,module=mfdata,host=coll-host,directory_name=step.idle.main:5|g'), 'the statsd gauge', 30_000);
  assert.ok(statsd.some((l) => /^metwork_version_status_code,module=mfdata,host=coll-host,modname=mfdata,bypassbasicstats=1:0\|g$/.test(l)));
  assert.ok(statsd.some((l) => /^metwork_module_num_threads,module=mfdata,host=coll-host,plugin=busy:\d+\|g$/.test(l)));
});

test('the collector watcher exists only with a sink and collect_interval > 0, and counts files recursively', () => {
  const t = makeHome();
  try {
    const watcherFor = (ini: string): string[] | undefined => {
      fs.writeFileSync(path.join(t.dir, 'mfdata.ini'), ini);
      const { config } = loadRuntimeConfig({ workspace: t.dir, home: t.home.root, env: {} });
      return generateSupervisorConfig(config, { runtimeDir: '/rt', nodePath: 'node' }, { observerIni: '' }).watchers.find((w) => w.kind === 'metrics_collector')?.args;
    };
    assert.equal(watcherFor(''), undefined);
    assert.deepEqual(watcherFor('[metrics]\nstatsd_host = 127.0.0.1\ncollect_interval = 7\n'), ['/rt/metrics-collector.js', '--home', t.home.root, '--interval', '7']);
    assert.equal(watcherFor('[metrics]\nstatsd_host = 127.0.0.1\ncollect_interval = 0\n'), undefined);
    fs.mkdirSync(path.join(t.dir, 'c/d/e'), { recursive: true });
    for (const f of ['c/1', 'c/d/2', 'c/d/e/3']) fs.writeFileSync(path.join(t.dir, f), '');
    assert.equal(countFiles(path.join(t.dir, 'c')), 3);
    assert.equal(countFiles(path.join(t.dir, 'absent')), 0);
  } finally {
    t.cleanup();
  }
});
