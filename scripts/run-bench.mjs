// Runs every compiled benchmark (out/bench/*.bench.js, built by `node scripts/build.mjs --tests`) one after the other.
// Usage: node scripts/run-bench.mjs [--quick] [substring...]   (only files whose name contains a substring)
// --quick (or BENCH_QUICK=1): every benchmark in reduced form (1 round, small sizes), about a minute; CI runs it to
// check that the benchmarks run and print figures, not the figures themselves.
// Benchmarks print their figures (and a baseline measured in the same run); they do not assert timings.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'out/bench');
const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const filters = args.filter((a) => a !== '--quick');
const files = existsSync(dir)
  ? readdirSync(dir).filter((n) => n.endsWith('.bench.js')).filter((n) => filters.length === 0 || filters.some((s) => n.includes(s))).sort()
  : [];
if (files.length === 0) {
  console.error('no benchmark found under out/bench (run: node scripts/build.mjs --tests)');
  process.exit(1);
}
// Quick sizes for the benchmarks that read their own variables (the others read BENCH_QUICK); the caller's win.
const quickEnv = quick
  ? { BENCH_QUICK: '1', BENCH_ROUNDS: '1', BENCH_FILES: '1000', BENCH_LATENCY_FILES: '200', BENCH_WARMUP_FILES: '300', ...process.env }
  : {};
let failed = 0;
for (const name of files) {
  console.log(`\n=== ${name}${quick ? ' (quick)' : ''} ===`);
  const r = spawnSync(process.execPath, ['--enable-source-maps', join(dir, name)], { stdio: 'inherit', cwd: root, env: { ...process.env, ...quickEnv } });
  if (r.status !== 0) {
    failed++;
    console.error(`${name} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
