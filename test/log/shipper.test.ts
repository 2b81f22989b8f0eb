// The log shipper against a `_bulk`-speaking HTTP server: daily indices, retries on 429/5xx/connection errors,
// per-item errors logged with the line, non-JSON lines skipped, a bounded backlog, and exactly-once across a kill.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger } from '../../runtime/log/mflog';
import { bulkEndpoint, LogShipper, type ShipperOptions } from '../../runtime/log/shipper';
import { RotatingFile } from '../../runtime/log/rotating-file';
import { startFakeElasticsearch, type FakeElasticsearch } from './helpers/fake-elasticsearch';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, cond: () => boolean, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function rec(n: number, day = 27, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ timestamp: `2026-11-${day}T20:00:00.${String(n).padStart(6, '0')}Z`, level: 'info', name: 'mfdata.p.s', pid: 7, event: `line ${n}`, plugin: 'p', step: 's', n, ...extra });
}

interface Setup { home: string; logDir: string; es: FakeElasticsearch; logged: Record<string, unknown>[] }

async function setup(t: { after(fn: () => Promise<void> | void): void }): Promise<Setup> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-ship-'));
  const logDir = path.join(home, 'log');
  fs.mkdirSync(logDir);
  const es = await startFakeElasticsearch();
  t.after(async () => {
    await es.close();
    fs.rmSync(home, { recursive: true, force: true });
  });
  return { home, logDir, es, logged: [] };
}

function shipper(s: Setup, options: Partial<ShipperOptions> = {}): { shipper: LogShipper; done: Promise<void> } {
  const log = createLogger('log_shipper', { plugin: '#core#' }, { write: (line) => s.logged.push(JSON.parse(line) as Record<string, unknown>) });
  const sh = new LogShipper({
    logDir: s.logDir, url: s.es.url, offsetsFile: path.join(s.home, 'var/log_shipper/offsets.json'), log,
    flushMs: 20, pollMs: 5, retryBaseMs: 5, retryMaxMs: 50, ...options,
  });
  return { shipper: sh, done: sh.run() };
}

function shippedNumbers(es: FakeElasticsearch): number[] {
  return [...es.docs.values()].map((d) => d.n as number).sort((a, b) => a - b);
}

test('records go to mflog-YYYY.MM.DD by their own timestamp, with @timestamp and the record fields', async (t) => {
  const s = await setup(t);
  fs.writeFileSync(path.join(s.logDir, 'step_p_s.log'), `${rec(1, 27)}\n${rec(2, 28)}\n`);
  const { shipper: sh, done } = shipper(s);
  await until('2 docs', () => s.es.docs.size === 2);
  sh.stop();
  await done;
  const [first, second] = s.es.requests.flat();
  assert.equal(first.action.create._index, 'mflog-2026.11.27');
  assert.equal(second.action.create._index, 'mflog-2026.11.28');
  assert.equal(first.source['@timestamp'], '2026-11-27T20:00:00.000001Z');
  assert.equal(first.source.event, 'line 1');
  assert.equal(first.source.step, 's');
  assert.equal(first.source.log_file, 'step_p_s.log');
  const offsets = JSON.parse(fs.readFileSync(path.join(s.home, 'var/log_shipper/offsets.json'), 'utf8')) as { files: Record<string, { offset: number }> };
  assert.equal(offsets.files[path.join(s.logDir, 'step_p_s.log')].offset, fs.statSync(path.join(s.logDir, 'step_p_s.log')).size);
});

test('a line that is not JSON is skipped with a warning naming the file and line, and the following lines are shipped', async (t) => {
  const s = await setup(t);
  fs.writeFileSync(path.join(s.logDir, 'step_p_s.log'), `${rec(1)}\nTraceback (most recent call last):\n${rec(2)}\n`);
  const { shipper: sh, done } = shipper(s);
  await until('2 docs', () => s.es.docs.size === 2);
  sh.stop();
  await done;
  assert.deepEqual(shippedNumbers(s.es), [1, 2]);
  const warning = s.logged.find((r) => r.event === 'skipped a log line that is not a JSON object');
  assert.ok(warning);
  assert.equal(warning.level, 'warning');
  assert.equal(warning.line, 'Traceback (most recent call last):');
  assert.equal(warning.log_file, path.join(s.logDir, 'step_p_s.log'));
});

test('HTTP 429, HTTP 503 and per-item 429 are retried until indexed; a per-item 400 is logged with the line and not retried', async (t) => {
  const s = await setup(t);
  s.es.faults.push('http429', 'http503', 'item429');
  fs.writeFileSync(path.join(s.logDir, 'step_p_s.log'), [rec(1), rec(2), rec(3, 27, { reject: true }), rec(4)].join('\n') + '\n');
  const { shipper: sh, done } = shipper(s);
  await until('3 docs', () => s.es.docs.size === 3 && sh.stats.batches === 1);
  sh.stop();
  await done;
  assert.deepEqual(shippedNumbers(s.es), [1, 2, 4]);
  // 429, 503, then the partial answer, then the items that got 429 again.
  assert.equal(s.es.requests.length, 4);
  assert.deepEqual(s.es.requests[3].map((p) => p.source.n), [1, 3]);
  const rejected = s.logged.filter((r) => r.event === 'elasticsearch rejected a log line');
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0].status, 400);
  assert.match(String(rejected[0].line), /"n":3/);
  assert.match(String(rejected[0].reason), /mapper_parsing_exception/);
});

test('connection refused: the batch waits and is sent once the server is back', async (t) => {
  const s = await setup(t);
  const realUrl = s.es.url;
  // Nothing listens on the port of a server we just closed.
  const gone = await startFakeElasticsearch();
  await gone.close();
  fs.writeFileSync(path.join(s.logDir, 'a.log'), `${rec(1)}\n`);
  const { shipper: sh, done } = shipper(s, { url: gone.url });
  await until('a failed attempt logged', () => s.logged.some((r) => r.event === 'bulk request failed, will retry'));
  sh.stop();
  await done;
  assert.equal(fs.existsSync(path.join(s.home, 'var/log_shipper/offsets.json')), false, 'nothing acknowledged, nothing saved');
  const again = shipper(s, { url: realUrl });
  await until('1 doc', () => s.es.docs.size === 1);
  again.shipper.stop();
  await again.done;
});

test('while Elasticsearch is down, reading stops when the backlog is full', async (t) => {
  const s = await setup(t);
  s.es.down = true;
  fs.writeFileSync(path.join(s.logDir, 'a.log'), Array.from({ length: 500 }, (_, i) => rec(i)).join('\n') + '\n');
  const { shipper: sh, done } = shipper(s, { maxBacklog: 50, maxDocs: 20 });
  await until('several failed attempts', () => s.es.requests.length >= 5);
  assert.ok(sh.backlogLength <= 50, `backlog ${sh.backlogLength}`);
  s.es.down = false;
  await until('500 docs', () => s.es.docs.size === 500);
  sh.stop();
  await done;
  assert.deepEqual(shippedNumbers(s.es), Array.from({ length: 500 }, (_, i) => i));
});

test('killed (SIGKILL) and restarted mid-run while the log rotates: every line is indexed exactly once', async (t) => {
  const s = await setup(t);
  const file = path.join(s.logDir, 'step_p_s.log');
  const out = new RotatingFile(file, { maxBytes: 40 * 1024, maxAgeSeconds: 0, keep: 50 });
  const total = 3000;
  let written = 0;
  const writer = (async () => {
    for (; written < total; written++) {
      out.write(`${rec(written)}\n`);
      if (written % 50 === 0) await sleep(2);
    }
    out.close();
  })();
  const start = () => spawn(process.execPath, [path.join(__dirname, '../../runtime/log/shipper-main.js'), '--home', s.home, '--url', s.es.url, '--flush-ms', '10', '--max-docs', '100'], { stdio: ['ignore', 'ignore', 'inherit'] });
  let proc = start();
  t.after(() => proc.kill('SIGKILL'));
  for (let kill = 0; kill < 3; kill++) {
    const seen = s.es.docs.size;
    await until('progress', () => s.es.docs.size > seen + 200 || s.es.docs.size === total);
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
    proc = start();
  }
  await writer;
  await until(`${total} docs`, () => s.es.docs.size >= total, 30000);
  await sleep(100);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
  proc.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.ok(fs.readdirSync(s.logDir).length > 3, 'the log rotated during the run');
  assert.deepEqual(shippedNumbers(s.es), Array.from({ length: total }, (_, i) => i));
});

test('credentials in the URL become a Basic Authorization header; the URL sent has none', () => {
  assert.deepEqual(bulkEndpoint('http://elastic:s%40cret@es.example:9200/'), { url: 'http://es.example:9200/_bulk', authorization: `Basic ${Buffer.from('elastic:s@cret').toString('base64')}` });
  assert.deepEqual(bulkEndpoint('https://es.example/prefix'), { url: 'https://es.example/prefix/_bulk' });
});
