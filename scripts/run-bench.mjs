// Runs every compiled benchmark (out/bench/*.bench.js, built by `node scripts/build.mjs --tests`) one after the other.
// Usage: node scripts/run-bench.mjs [substring...]   (only files whose name contains a substring)
// Benchmarks print their figures (and a baseline measured in the same run); they do not assert timings.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'out/bench');
const filters = process.argv.slice(2);
const files = existsSync(dir)
  ? readdirSync(dir).filter((n) => n.endsWith('.bench.js')).filter((n) => filters.length === 0 || filters.some((s) => n.includes(s))).sort()
  : [];
if (files.length === 0) {
  console.error('no benchmark found under out/bench (run: node scripts/build.mjs --tests)');
  process.exit(1);
}
let failed = 0;
for (const name of files) {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, ['--enable-source-maps', join(dir, name)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    failed++;
    console.error(`${name} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
