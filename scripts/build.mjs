// The whole build: bundles the extension and the runtime entry points with esbuild,
// and (with --tests) transpiles every TypeScript file to out/ for node's test runner.
//   node scripts/build.mjs               development build (source maps)
//   node scripts/build.mjs --production  minified build, as packaged in the .vsix
//   node scripts/build.mjs --watch       rebuild on change
//   node scripts/build.mjs --tests       also emit out/ (one .js per .ts, not bundled) for tests and benchmarks
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildApiTypes } from './build-api-types.mjs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');
const root = new URL('..', import.meta.url).pathname;

/** Runtime entry points: each becomes dist/runtime/<name>.js, runnable by plain node. */
const runtimeEntries = {
  cli: 'runtime/cli/main.ts',
  supervisor: 'runtime/supervisor/main.ts',
  observer: 'runtime/observer/main.ts',
  // worker.js is a small boot file that runs worker-main.js with a V8 code cache (runtime/worker/code-cache.ts).
  worker: 'runtime/worker/boot.ts',
  'worker-main': 'runtime/worker/main.ts',
  'conf-monitor': 'runtime/conf-monitor/main.ts',
  'log-shipper': 'runtime/log/shipper-main.ts',
  housekeeping: 'runtime/housekeeping/main.ts',
  receiver: 'runtime/receiver/main.ts',
  'metrics-collector': 'runtime/metrics/collect/main.ts',
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  sourcesContent: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

function listTs(dir) {
  const found = [];
  if (!existsSync(join(root, dir))) return found;
  for (const name of readdirSync(join(root, dir))) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) found.push(...listTs(rel));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(rel);
  }
  return found;
}

const builds = [];
if (existsSync(join(root, 'src/extension.ts'))) {
  builds.push({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', 'esbuild'] });
}
const present = Object.entries(runtimeEntries).filter(([, file]) => existsSync(join(root, file)));
if (present.length > 0) {
  builds.push({
    ...common,
    entryPoints: Object.fromEntries(present),
    outdir: 'dist/runtime',
    // esbuild compiles plugin step code at run time and ships its own native binary.
    external: ['esbuild'],
  });
}
if (tests) {
  rmSync(join(root, 'out'), { recursive: true, force: true });
  const files = [...listTs('runtime'), ...listTs('src'), ...listTs('test'), ...listTs('bench')];
  builds.push({
    entryPoints: files,
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    absWorkingDir: root,
  });
}

// dist/types/mfdata.d.ts: the step API types that plugin code maps `mfdata` to.
buildApiTypes(root);

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('[watch] watching for changes');
} else {
  const started = Date.now();
  await Promise.all(builds.map((options) => esbuild.build(options)));
  const outputs = builds.map((b) => b.outfile ?? relative(root, join(root, b.outdir))).join(', ');
  console.log(`built ${outputs} in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
