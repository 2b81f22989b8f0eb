// Bundles the in-host suites (test/extension/index.ts and test/extension/*.host.ts) into
// .vscode-test/host-tests/, with vscode and mocha left to the extension host and node_modules.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const dir = join(root, 'test/extension');
const suites = readdirSync(dir).filter((f) => f.endsWith('.host.ts')).map((f) => join('test/extension', f));
const outdir = join(root, '.vscode-test/host-tests');
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: ['test/extension/index.ts', ...suites],
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha', 'esbuild'],
  absWorkingDir: root,
  logLevel: 'warning',
});
console.log(`built ${suites.length} in-host suite(s) into .vscode-test/host-tests`);
