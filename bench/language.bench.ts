// Benchmark of the configuration language service on 5,000-line files: time to diagnose (what each pause in
// typing costs), against the bare parse and `mfdata config check`'s checkDocument, plus completion and hover.
// Run: npx esbuild bench/language.bench.ts --bundle --platform=node --outfile=out/bench/language.bench.js && node out/bench/language.bench.js
import { parseIni } from '../runtime/config/ini-parser';
import { checkDocument } from '../runtime/config/validate';
import { doc, GENERAL, languageFixture } from '../test/language/helpers';

const RUNS = 30;

function stats(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms`;
}

function measure(fn: (i: number) => unknown): number[] {
  for (let i = 0; i < 3; i++) fn(-1 - i); // warm-up
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

async function measureAsync(fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** A plugin config.ini of about 5,000 lines: [general] then steps of 12 lines, with a few errors sprinkled in. */
function pluginText(lines: number): string {
  const out = [GENERAL, ''];
  for (let i = 0; out.join('\n').split('\n').length < lines; i++) {
    out.push(`[step_s${i}]`, '_step_module = builtin:move', `dest_dir = beta/main`, 'numprocesses = 2', `failure_policy = ${i % 50 === 0 ? 'mvoe' : 'keep'}`,
      'retry_total = 3', 'retry_min_wait = 1', 'retry_max_wait = 60', `timeout = ${i % 70 === 0 ? 'x' : '600'}`, '# a comment', 'watched_directories = {MFDATA_CURRENT_STEP_DIR}', '');
  }
  return out.join('\n');
}

/** A directory_observer.ini of about 5,000 lines: [common] then sections of 6 lines. */
function observerText(lines: number, dir: string): string {
  const out = ['[common]', 'redis_unix_socket = /tmp/r.sock', 'ignore = ^.*\\.t$;^.*\\.tmp$', ''];
  for (let i = 0; out.length < lines; i++) out.push(`[w${i}]`, 'active = 1', `directory = ${dir}`, `queue = step.alpha.${i % 40 === 0 ? 'mian' : 'main'}`, 'only = ^.*$', '');
  return out.join('\n');
}

async function main(): Promise<void> {
  const f = languageFixture({ stepFigures: async () => ({ queued: 1, processed: 2, failed: 0 }) });
  try {
    const files = [
      { name: 'plugin config.ini', path: f.paths.alpha, kind: 'plugin' as const, text: pluginText(5000) },
      { name: 'directory_observer.ini', path: f.paths.observer, kind: 'observer' as const, text: observerText(5000, f.dataDir) },
    ];
    for (const file of files) {
      const lines = file.text.split('\n').length;
      // Each run edits the text (as typing does), so nothing comes from the service's cache.
      const variant = (i: number): string => `${file.text}\n# edit ${i}\n`;
      const parse = measure((i) => parseIni(variant(i), file.path));
      const check = measure((i) => checkDocument(file.kind, variant(i), file.path, { env: {}, home: f.home, plugin: { name: 'alpha', dir: `${f.workspace}/plugins/alpha` }, knownSteps: f.env.knownSteps() }));
      let count = 0;
      const diagnose = measure((i) => (count = f.service.diagnostics(doc(file.path, variant(i))).length));
      const last = variant(0);
      f.service.diagnostics(doc(file.path, last));
      // Completion of a value (enum or queue) and hover on a key, near the end of the file.
      const lastLines = last.split('\n');
      const valueLine = lastLines.map((l, n) => [l, n] as const).filter(([l]) => /^(failure_policy|queue) = /.test(l)).pop()!;
      const completion = measure(() => f.service.completion(doc(file.path, last), { line: valueLine[1], character: valueLine[0].indexOf('=') + 2 }));
      const hover = await measureAsync(() => f.service.hover(doc(file.path, last), { line: valueLine[1], character: 2 }));
      console.log(`${file.name}: ${lines} lines, ${count} diagnostics`);
      console.log(`  bare parse (parseIni)              ${stats(parse)}`);
      console.log(`  config check (checkDocument)       ${stats(check)}`);
      console.log(`  language service diagnostics      ${stats(diagnose)}   (after an edit: parse + check + editor checks)`);
      console.log(`  completion on the analysed text    ${stats(completion)}`);
      console.log(`  hover on the analysed text         ${stats(hover)}`);
    }
  } finally {
    f.cleanup();
  }
}

void main();
