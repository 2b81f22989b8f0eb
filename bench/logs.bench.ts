// Benchmark of the log feature: the panel's model with 100,000 records (append, filters, visible-window rows,
// against a render-everything baseline) and the tail latency from a write in another process to the reader.
// Run: npx esbuild bench/logs.bench.ts --bundle --platform=node --outfile=out/bench/logs.bench.js && node out/bench/logs.bench.js
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EntryDecoder, type LogEntry } from '../runtime/log/entry';
import { LogDirFollower } from '../runtime/log/dir-follower';
import { renderRecord } from '../runtime/log/record';
import { EMPTY_FILTER, LogStore } from '../src/logs/logStore';
import { LogSource } from '../src/logs/logSource';

const N = 100_000;
const LEVELS = ['debug', 'info', 'info', 'info', 'warning', 'error'];

function records(): string[] {
  const out: string[] = [];
  for (let i = 0; i < N; i++) {
    const plugin = `plugin${i % 10}`;
    const step = `step${i % 5}`;
    const level = LEVELS[i % LEVELS.length];
    const rec: Record<string, unknown> = {
      timestamp: new Date(Date.UTC(2026, 10, 27, 20) + i * 3).toISOString().replace('Z', '000Z'),
      level, name: `mfdata.${plugin}.${step}`, pid: 1000 + (i % 8), event: level === 'error' ? 'process failed' : 'file processed',
      plugin, step, file: `/in/step.${plugin}.${step}/file-${i}.dat`, size: i * 7,
    };
    if (level === 'error') Object.assign(rec, { exception: `Error: boom ${i}\n    at process (main.ts:12:7)\n    at run (worker.js:80:3)`, exception_type: 'Error', exception_file: 'main.ts:12' });
    out.push(JSON.stringify(rec));
  }
  return out;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const f = (ms: number) => `${ms.toFixed(1)} ms`;

function panelBench(): void {
  const lines = records();
  const decoder = new EntryDecoder('step_plugin0_step0.log');
  const decode = time(() => lines.map((l) => decoder.decode(l) as LogEntry));
  const entries = decode.value;
  const store = new LogStore();
  const append = time(() => store.append(entries));
  console.log(`panel model, ${N.toLocaleString()} records`);
  console.log(`  parse lines -> entries            ${f(decode.ms)}`);
  console.log(`  append to the store              ${f(append.ms)}`);
  const filters: [string, Partial<typeof EMPTY_FILTER>][] = [
    ['level >= error', { level: 'error' }],
    ['plugin + step', { plugin: 'plugin3', step: 'step3' }],
    ['text (first: builds search cache)', { text: 'file-4242.dat' }],
    ['text (again, cached)', { text: 'file-4243.dat' }],
    ['regex', { text: 'file-42\\d{2}\\.dat', regex: true }],
    ['no filter', {}],
  ];
  for (const [label, filter] of filters) {
    const r = time(() => store.setFilter({ ...EMPTY_FILTER, ...filter }));
    console.log(`  filter: ${label.padEnd(36)} ${f(r.ms)}  (${store.total.toLocaleString()} rows)`);
  }
  // A scroll: the webview asks for 200-row chunks around the visible window.
  const windows = 1000;
  const rows = time(() => {
    let n = 0;
    for (let i = 0; i < windows; i++) n += store.rows(Math.floor(Math.random() * (N - 200)), 200).length;
    return n;
  });
  const chunk = JSON.stringify(store.rows(5000, 200));
  console.log(`  rows for one 200-row chunk        ${(rows.ms / windows * 1000).toFixed(0)} µs  (message ${(chunk.length / 1024).toFixed(0)} KiB)`);
  const tail = time(() => {
    const more = entries.slice(0, 1000);
    for (let i = 0; i < 100; i++) store.append(more);
  });
  console.log(`  live append, 1,000 records        ${(tail.ms / 100).toFixed(2)} ms`);
  // Baseline: what a panel without a virtual list does on every change: render every record to text.
  const all = time(() => entries.map((e) => (e.record ? renderRecord(e.record) : e.raw)).join('\n').length);
  console.log(`  baseline: render all records      ${f(all.ms)}  (${(all.value / 1024 / 1024).toFixed(1)} MiB of text for the DOM)`);
}

async function latencyBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-bench-'));
  const file = path.join(dir, 'step_p_s.log');
  fs.writeFileSync(file, '');
  const count = 300;
  // The writer is another process, as a worker is; each line carries its wall-clock write time.
  const writerCode = `
    const fs = require('fs');
    const fd = fs.openSync(${JSON.stringify(file)}, 'a');
    let i = 0;
    const t = setInterval(() => {
      const now = performance.timeOrigin + performance.now();
      fs.writeSync(fd, JSON.stringify({ timestamp: new Date(now).toISOString().replace('Z', '000Z'), level: 'info', name: 'mfdata.p.s', pid: process.pid, event: 'x', plugin: 'p', step: 's', sent: now }) + '\\n');
      if (++i === ${count}) { clearInterval(t); fs.closeSync(fd); }
    }, 7);`;
  const measure = async (label: string, start: (onLine: (sent: number) => void) => () => void): Promise<void> => {
    const latencies: number[] = [];
    const stop = start((sent) => latencies.push(performance.timeOrigin + performance.now() - sent));
    const writer = spawn(process.execPath, ['-e', writerCode], { stdio: 'inherit' });
    await new Promise((resolve) => writer.on('exit', resolve));
    const deadline = Date.now() + 3000;
    while (latencies.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    stop();
    console.log(`  ${label.padEnd(46)} p50 ${pct(latencies, 50).toFixed(1)} ms  p95 ${pct(latencies, 95).toFixed(1)} ms  max ${Math.max(...latencies).toFixed(1)} ms  (${latencies.length}/${count} lines)`);
  };
  console.log(`tail latency, write (other process) -> read, ${count} lines at 7 ms intervals`);
  await measure('extension LogSource (fs.watch + 500 ms poll)', (onLine) => {
    const source = new LogSource({ logDir: dir, pollMs: 500, onEntries: (es) => es.forEach((e) => onLine(e.record?.sent as number)) });
    source.start();
    return () => source.dispose();
  });
  await measure('baseline: poll only, every 100 ms (CLI -f)', (onLine) => {
    const follower = new LogDirFollower(dir, { start: 'end' });
    follower.read(); // takes the starting point now, before the writer starts
    const timer = setInterval(() => follower.read().flat().forEach((l) => onLine((JSON.parse(l.text) as { sent: number }).sent)), 100);
    return () => { clearInterval(timer); follower.close(); };
  });
  fs.rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`);
  panelBench();
  await latencyBench();
}

void main();
