// A compiled step is reused while none of its sources changed (no esbuild at most worker starts); any change of a
// bundled file, a missing output or a source edited during the build means compiling again.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileStep } from '../../runtime/worker/step-loader';
import { manifestPath, type BuildManifest } from '../../runtime/worker/step-build-cache';

interface Fixture {
  dir: string;
  main: string;
  helper: string;
  out: string;
}

/** A step importing a helper, both dated a minute back (as sources edited earlier are). */
function fixture(t: { after(fn: () => void): void }): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-build-cache-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const main = path.join(dir, 'main.ts');
  const helper = path.join(dir, 'helper.ts');
  fs.writeFileSync(main, "import { defineStep } from 'mfdata';\nimport { version } from './helper';\nexport const step = defineStep({ process() { return version() === 1; } });\n");
  fs.writeFileSync(helper, 'export function version(): number { return 1; }\n');
  backdate(main);
  backdate(helper);
  return { dir, main, helper, out: path.join(dir, 'build', 'p', 'main.js') };
}

function backdate(file: string): void {
  const past = new Date(Date.now() - 60_000);
  fs.utimesSync(file, past, past);
}

const stamp = (file: string): bigint => fs.statSync(file, { bigint: true }).mtimeNs;

test('compiling a step records every bundled source with its hash next to the output', async (t) => {
  const f = fixture(t);
  await compileStep(f.main, f.out);
  const manifest = JSON.parse(fs.readFileSync(manifestPath(f.out), 'utf8')) as BuildManifest;
  assert.deepEqual(manifest.inputs.map((i) => i.file).sort(), [f.helper, f.main].sort());
  for (const input of manifest.inputs) assert.match(input.sha1, /^[0-9a-f]{40}$/);
  assert.ok(fs.existsSync(f.out) && fs.existsSync(`${f.out}.map`));
});

test('a second compile of unchanged sources leaves the output as it is (esbuild is not run)', async (t) => {
  const f = fixture(t);
  await compileStep(f.main, f.out);
  const before = [stamp(f.out), stamp(`${f.out}.map`)];
  await new Promise((r) => setTimeout(r, 20));
  await compileStep(f.main, f.out);
  assert.deepEqual([stamp(f.out), stamp(`${f.out}.map`)], before);
});

test('a changed imported file makes the step compile again, with the new code', async (t) => {
  const f = fixture(t);
  await compileStep(f.main, f.out);
  assert.match(fs.readFileSync(f.out, 'utf8'), /return 1;/);
  fs.writeFileSync(f.helper, 'export function version(): number { return 2; }\n');
  backdate(f.helper);
  await compileStep(f.main, f.out);
  assert.match(fs.readFileSync(f.out, 'utf8'), /return 2;/);
});

test('a deleted output or map makes the step compile again', async (t) => {
  const f = fixture(t);
  await compileStep(f.main, f.out);
  fs.rmSync(`${f.out}.map`);
  await compileStep(f.main, f.out);
  assert.ok(fs.existsSync(`${f.out}.map`));
  fs.rmSync(f.out);
  await compileStep(f.main, f.out);
  assert.ok(fs.existsSync(f.out));
});

test('a source modified at build time is not trusted: no manifest, the next load compiles again', async (t) => {
  const f = fixture(t);
  // Touched now: it may have changed while esbuild was reading it.
  fs.writeFileSync(f.helper, 'export function version(): number { return 3; }\n');
  await compileStep(f.main, f.out);
  assert.equal(fs.existsSync(manifestPath(f.out)), false);
  const first = stamp(f.out);
  await new Promise((r) => setTimeout(r, 20));
  backdate(f.helper);
  await compileStep(f.main, f.out);
  assert.notEqual(stamp(f.out), first);
  assert.ok(fs.existsSync(manifestPath(f.out)));
});

test('a manifest of another build (other options or esbuild version) is not trusted', async (t) => {
  const f = fixture(t);
  await compileStep(f.main, f.out);
  const manifest = JSON.parse(fs.readFileSync(manifestPath(f.out), 'utf8')) as BuildManifest;
  fs.writeFileSync(manifestPath(f.out), JSON.stringify({ ...manifest, key: 'built-by-another-esbuild' }));
  const before = stamp(f.out);
  await new Promise((r) => setTimeout(r, 20));
  await compileStep(f.main, f.out);
  assert.notEqual(stamp(f.out), before);
  assert.notEqual((JSON.parse(fs.readFileSync(manifestPath(f.out), 'utf8')) as BuildManifest).key, 'built-by-another-esbuild');
});
