// The example plugin `normalize`, configured by the real config loader and generator, runs with the generated
// watcher commands; and the step API types catch mistakes in plugin code.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pingRedis, requireRedisServer } from '../helpers/redis-server';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { generateConfigAuto } from '../../runtime/config/generate';
import { writeConfigAuto } from '../../runtime/config/generate/write';
import { parseTagsFile } from '../../runtime/tags/tag-names';
import { dropFile, listFiles, makeHome, ROOT, startProc, waitFor, type Proc } from './harness';

const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

test('the example plugins type-check against the step API (npx tsc -p examples)', () => {
  const r = spawnSync(process.execPath, [TSC, '-p', path.join(ROOT, 'examples')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('plugin code misusing the step API fails the type check', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-typecheck-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Same compiler settings and `mfdata` mapping as the examples, on a plugin file of our own.
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: path.join(ROOT, 'examples/tsconfig.json'), include: [path.join(dir, '*.ts')] }));
  fs.writeFileSync(path.join(dir, 'main.ts'), [
    "import { defineStep } from 'mfdata';",
    'export const step = defineStep({',
    '  async process(file, ctx) {',
    '    await ctx.moveToPluginStep(file, 42);',
    '    return file.originalBasenam.length > 0;',
    '  },',
    '});',
  ].join('\n'));
  const r = spawnSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stdout, /main\.ts\(4,\d+\): error TS2554: Expected 3-4 arguments, but got 2/);
  assert.match(r.stdout, /main\.ts\(5,.*Property 'originalBasenam' does not exist on type 'StepFile'/);
});

test('the shipped dist/types/mfdata.d.ts types plugin code on its own (no runtime sources)', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-dts-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.copyFileSync(path.join(ROOT, 'dist/types/mfdata.d.ts'), path.join(dir, 'mfdata.d.ts'));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'commonjs', target: 'ES2022', types: [], baseUrl: '.', paths: { mfdata: ['./mfdata.d.ts'] } },
    files: ['good.ts', 'bad.ts'],
  }));
  fs.writeFileSync(path.join(dir, 'good.ts'), [
    "import { defineStep, type StepFile } from 'mfdata';",
    'export const step = defineStep({',
    '  async process(file: StepFile, ctx) {',
    "    await ctx.setTag(file, 'n', file.stepCounter);",
    "    ctx.log.info('ok', { uid: file.originalUid });",
    "    return ctx.moveToPluginStep(file, 'p', 's', { keepOriginalBasename: null });",
    '  },',
    '});',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'bad.ts'), "import { defineStep } from 'mfdata';\nexport const step = defineStep({ process(file) { return file.size; } });\n");
  const r = spawnSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' });
  assert.equal(r.stdout.split('\n').filter((l) => l.includes('good.ts')).length, 0, r.stdout);
  assert.match(r.stdout, /bad\.ts\(2,\d+\): error TS\d+: .*'size'/);
});

test('normalize: text files from its inbox and from drop/normalize are normalised, tagged and archived; a binary file is kept in the trash', async (t) => {
  const h = makeHome();
  const workspace = path.join(h.dir, 'ws');
  fs.cpSync(path.join(ROOT, 'examples/plugins/normalize'), path.join(workspace, 'plugins/normalize'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'mfdata.ini'), '[internal_plugins]\ninstall_switch = 0\ninstall_guess_file_type = 0\n');
  const loaded = loadRuntimeConfig({ workspace, home: h.home.root, env: { ...process.env, MFDATA_HOME: h.home.root } });
  assert.deepEqual(loaded.problems.filter((p) => p.severity === 'error'), []);
  const auto = generateConfigAuto(loaded.config, { runtimeDir: path.join(ROOT, 'dist/runtime'), nodePath: process.execPath });
  writeConfigAuto(h.home.root, auto);
  // Our own redis-server where the generated configuration expects it.
  fs.mkdirSync(h.home.varDir, { recursive: true });
  const redis = spawn(requireRedisServer(), ['--port', '0', '--unixsocket', h.home.redisSocket, '--unixsocketperm', '700', '--dir', h.home.varDir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const procs: Proc[] = [];
  t.after(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    redis.kill('SIGTERM');
    await new Promise((r) => redis.once('exit', r));
    h.cleanup();
  });
  await waitFor('redis up', () => pingRedis(h.home.redisSocket));
  // Run exactly what the supervisor would run.
  for (const spec of auto.supervisor.watchers.filter((w) => w.kind === 'step' || w.kind === 'directory_observer')) {
    const [script, ...args] = spec.args.filter((a) => a !== '--enable-source-maps');
    procs.push(startProc(script, args, spec.env));
  }
  const observer = procs[procs.length - 1];
  await waitFor('observer started', () => procs.some((p) => p.records.some((r) => r.event === 'directory observer started')), 60_000);
  const inbox = path.join(h.home.inDir, 'step.normalize.main');
  const drop = path.join(h.home.inDir, 'drop', 'normalize');
  dropFile(inbox, 'report.txt', 'first line   \r\nsecond\t\r\nthird');
  dropFile(drop, 'notes.md', 'a  \rb\r\r');
  dropFile(inbox, 'image.bin', Buffer.from([0x89, 0x50, 0x00, 0x01]));
  const out = path.join(h.home.varDir, 'out', 'normalize');
  // The archive step writes `<name>.t` then renames it: wait for both final names, not for any two entries.
  await waitFor('both text files archived', () => listFiles(out).sort().join() === 'notes.md,report.txt', 60_000);
  assert.equal(fs.readFileSync(path.join(out, 'report.txt'), 'utf8'), 'first line\nsecond\nthird\n');
  assert.equal(fs.readFileSync(path.join(out, 'notes.md'), 'utf8'), 'a\nb\n\n');
  // The archive step logs just after it writes the file: wait for both records, not only both files.
  const archivedRecords = (): Array<Record<string, unknown>> => procs.flatMap((p) => p.records).filter((r) => r.event === 'archived');
  await waitFor('both archived records logged', () => archivedRecords().length === 2, 60_000);
  const archived = archivedRecords();
  assert.deepEqual(archived.map((r) => [r.file, r.line_count, r.name]).sort(), [['notes.md', '3', 'mfdata.normalize.archive'], ['report.txt', '3', 'mfdata.normalize.archive']]);
  const trash = path.join(h.home.inDir, 'trash', 'normalize.main');
  // The file first, then its .tags (written whole under a temporary dot name, which listFiles skips).
  await waitFor('binary file kept', () => listFiles(trash).sort().join() === 'image.bin,image.bin.tags', 60_000);
  const tags = parseTagsFile(fs.readFileSync(path.join(trash, 'image.bin.tags'), 'utf8'));
  assert.equal(tags['latest.core.failure_reason'], 'process() returned false');
  assert.equal(tags['first.core.original_dirname'], 'step.normalize.main');
  assert.ok(observer);
});
