// `mfdata logs`: all files of <home>/log merged by timestamp, filters, raw lines with their file name, and -f.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../runtime/cli/main';

function rec(ts: string, level: string, name: string, event: string, extra: Record<string, unknown> = {}): string {
  const [, plugin = '#core#', step] = /^mfdata\.([^.]+)\.(.+)$/.exec(name) ?? [];
  return JSON.stringify({ timestamp: `2026-11-27T20:00:${ts}.000000Z`, level, name, pid: 100, event, plugin, ...(step ? { step } : {}), ...extra });
}

function makeHome(t: { after(fn: () => void): void }): { home: string; log: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-logs-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const log = path.join(home, 'log');
  fs.mkdirSync(log);
  // A rotated sibling holds the oldest lines of the step's log.
  fs.writeFileSync(path.join(log, 'step_ingest_convert.log.20261127200002'), `${rec('01', 'info', 'mfdata.ingest.convert', 'first')}\n`);
  fs.writeFileSync(path.join(log, 'step_ingest_convert.log'), [
    rec('03', 'error', 'mfdata.ingest.convert', 'process failed', { file: 'a.txt', exception: 'Error: boom\n    at main.ts:3', exception_type: 'Error', exception_file: 'main.ts' }),
    'Segmentation fault (core dumped)',
    rec('05', 'debug', 'mfdata.ingest.convert', 'details'),
  ].join('\n') + '\n');
  fs.writeFileSync(path.join(log, 'directory_observer.log'), [rec('02', 'info', 'directory_observer', 'watching'), rec('04', 'warning', 'directory_observer', 'rescan')].join('\n') + '\n');
  return { home, log };
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(args, { stdout, stderr });
  return { code, out, err };
}

test('all files, rotated siblings first, merged by timestamp; raw lines shown as-is with their file name', async (t) => {
  const { home } = makeHome(t);
  const { code, out } = await run(['--home', home, 'logs']);
  assert.equal(code, 0);
  assert.equal(out, [
    '2026-11-27T20:00:01.000000Z     [INFO] (mfdata.ingest.convert#100) first',
    '2026-11-27T20:00:02.000000Z     [INFO] (directory_observer#100) watching',
    '2026-11-27T20:00:03.000000Z    [ERROR] (mfdata.ingest.convert#100) process failed {file=a.txt}',
    'Error: boom',
    '    at main.ts:3',
    'step_ingest_convert.log: Segmentation fault (core dumped)',
    '2026-11-27T20:00:04.000000Z  [WARNING] (directory_observer#100) rescan',
    '2026-11-27T20:00:05.000000Z    [DEBUG] (mfdata.ingest.convert#100) details',
    '',
  ].join('\n'));
});

test('--plugin, --step, --level and --since narrow the records; --json prints records as JSON lines', async (t) => {
  const { home } = makeHome(t);
  const byStep = await run(['--home', home, 'logs', '--plugin', 'ingest', '--step', 'convert', '--level', 'warning']);
  assert.equal(byStep.out, [
    '2026-11-27T20:00:03.000000Z    [ERROR] (mfdata.ingest.convert#100) process failed {file=a.txt}',
    'Error: boom',
    '    at main.ts:3',
    'step_ingest_convert.log: Segmentation fault (core dumped)',
    '',
  ].join('\n'));
  const since = await run(['--home', home, 'logs', '--since', '2026-11-27T20:00:04', '--json']);
  const lines = since.out.trim().split('\n').map((l) => JSON.parse(l) as { event: string });
  assert.deepEqual(lines.map((l) => l.event), ['rescan', 'details']);
});

test('--since skips rotated files unread when their name stamp shows they were closed before it', async (t) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-logs-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const log = path.join(home, 'log');
  fs.mkdirSync(log);
  const at = (hms: string, event: string) => JSON.stringify({ timestamp: `2026-11-27T${hms}Z`, level: 'info', name: 'mfdata.p.s', pid: 1, event, plugin: 'p', step: 's' });
  // A marker no real file could hold (a record after the file was closed): it shows only if the file is read.
  fs.writeFileSync(path.join(log, 'step_p_s.log.20261127190000'), `${at('20:00:30.000000', 'marker of a file closed at 19:00:00')}\n`);
  // Closed during the second of --since (stamps are truncated to the second): it may hold later records, so it is read.
  fs.writeFileSync(path.join(log, 'step_p_s.log.20261127200010'), `${at('20:00:05.000000', 'before since')}\n${at('20:00:10.500000', 'boundary')}\n`);
  fs.writeFileSync(path.join(log, 'step_p_s.log'), `${at('20:00:20.000000', 'live')}\n`);
  const events = async (...extra: string[]) => (await run(['--home', home, 'logs', '--json', ...extra])).out.trim().split('\n').map((l) => (JSON.parse(l) as { event: string }).event);
  assert.deepEqual(await events('--since', '2026-11-27T20:00:10.200'), ['boundary', 'live']);
  assert.deepEqual(await events(), ['marker of a file closed at 19:00:00', 'before since', 'boundary', 'live'], 'without --since every file is read, in file order');
});

test('bad filter values are usage errors saying what is expected', async (t) => {
  const { home } = makeHome(t);
  const bad = await run(['--home', home, 'logs', '--level', 'loud']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--level 'loud' is not one of debug, info, warning, error, critical/);
  assert.match((await run(['--home', home, 'logs', '--since', 'yesterday'])).err, /--since 'yesterday' is neither a date/);
  assert.match((await run(['--home', home, 'logs', '--grep', '(', '--regex'])).err, /invalid regular expression/);
});

test('-f keeps printing lines appended later, across a rotation, until it is stopped', async (t) => {
  const { home, log } = makeHome(t);
  const cli = spawn(process.execPath, [path.join(__dirname, '../../runtime/cli/main.js'), '--home', home, 'logs', '-f', '--plugin', 'ingest'], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => cli.kill('SIGKILL'));
  let out = '';
  cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const waitFor = async (text: string) => {
    while (!out.includes(text)) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  await waitFor('details');
  const file = path.join(log, 'step_ingest_convert.log');
  fs.appendFileSync(file, `${rec('06', 'info', 'mfdata.ingest.convert', 'live one')}\n`);
  await waitFor('live one');
  fs.renameSync(file, `${file}.20261127200007`);
  fs.writeFileSync(file, `${rec('07', 'info', 'mfdata.ingest.convert', 'after rotation')}\n`);
  fs.appendFileSync(path.join(log, 'directory_observer.log'), `${rec('08', 'info', 'directory_observer', 'not ingest')}\n`);
  await waitFor('after rotation');
  const exit = new Promise<number | null>((resolve) => cli.on('exit', resolve));
  cli.kill('SIGTERM');
  assert.equal(await exit, 0);
  assert.equal(out.split('\n').filter((l) => l.includes('live one')).length, 1, out);
  assert.ok(!out.includes('not ingest'));
});

/** A Redis log line as redis-server writes it (local time). */
function redisLine(date: Date, levelChar: string, message: string): string {
  const month = date.toLocaleString('en-US', { month: 'short' });
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `4242:M ${p(date.getDate())} ${month} ${date.getFullYear()} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds(), 3)} ${levelChar} ${message}`;
}

test("redis.log lines sort and filter at Redis's own time and level; raw lines before any record take the next record's time, else the file's mtime", async (t) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-logs-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const log = path.join(home, 'log');
  fs.mkdirSync(log);
  const minutesAgo = new Date(Date.now() - 5 * 60_000);
  fs.writeFileSync(path.join(log, 'redis.log'), [
    redisLine(minutesAgo, '#', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'),
    redisLine(new Date(minutesAgo.getTime() + 5), '*', 'The server is now ready to accept connections'),
  ].join('\n') + '\n');
  // A process's stderr banner written before its first record, in a file not touched for minutes.
  const banner = path.join(log, 'step_p_s.log');
  fs.writeFileSync(banner, 'Debugger listening on ws://127.0.0.1:9229\n');
  const bannerTime = new Date(minutesAgo.getTime() + 1000);
  fs.utimesSync(banner, bannerTime, bannerTime);
  const recent = path.join(log, 'step_p_t.log');
  const soon = new Date(Date.now() + 60_000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  fs.writeFileSync(recent, `warming up\n${JSON.stringify({ timestamp: soon, level: 'info', name: 'mfdata.p.t', pid: 1, event: 'up', plugin: 'p', step: 't' })}\n`);

  assert.equal((await run(['--home', home, 'logs', '--level', 'error', '--since', '5s'])).out, 'step_p_t.log: warming up\n', 'old lines hidden; a raw line counts as error');
  assert.equal((await run(['--home', home, 'logs', '--level', 'warning', '--since', '1h'])).out, [
    'redis.log: ' + redisLine(minutesAgo, '#', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'),
    'step_p_s.log: Debugger listening on ws://127.0.0.1:9229',
    'step_p_t.log: warming up',
    '',
  ].join('\n'), 'a Redis # line is a warning, its * line info');
  const all = (await run(['--home', home, 'logs', '--json'])).out.trim().split('\n').map((l) => JSON.parse(l) as { raw?: string; event?: string });
  assert.deepEqual(all.map((e) => e.event ?? e.raw?.slice(0, 12)), [redisLine(minutesAgo, '#', '').slice(0, 12), redisLine(minutesAgo, '*', '').slice(0, 12), 'Debugger lis', 'warming up', 'up']);
});
