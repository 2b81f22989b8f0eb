// MFDATA's debug mode (`worker.js --debug-file`): one step, one file, once, from a copy; no queue, no Redis, no
// supervisor. The JSON report says what happened: outcome, the failure policy that would apply, tags, routing.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isOneShotReport, type OneShotReport } from '../../runtime/debug/report';
import { listFiles, makeHome, ROOT, WORKER_JS, writePlugin, type TestHome } from '../datapath/harness';

function runOneShot(t: TestHome, plugin: string, step: string, file: string, extra: string[] = []): { report: OneShotReport; stderr: string } {
  const report = path.join(t.dir, 'debug-run', 'report.json');
  fs.rmSync(path.dirname(report), { recursive: true, force: true });
  let stderr = '';
  try {
    execFileSync(process.execPath, ['--enable-source-maps', WORKER_JS, '--home', t.home.root, '--plugin', plugin, '--step', step, '--debug-file', file, '--report', report, ...extra], {
      encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'],
      // No Redis anywhere: a debug run must not need one.
      env: { ...process.env, MFDATA_REDIS_SOCKET: path.join(t.dir, 'no-redis.sock') },
    });
  } catch (err) {
    stderr = String((err as { stderr?: string }).stderr);
    throw new Error(`debug run exited with an error: ${stderr}`);
  }
  const parsed: unknown = JSON.parse(fs.readFileSync(report, 'utf8'));
  assert.ok(isOneShotReport(parsed), 'the report has the documented shape');
  return { report: parsed, stderr };
}

const TAG_AND_ROUTE = `import { defineStep } from 'mfdata';
import * as fs from 'node:fs';
export const step = defineStep({
  async process(file, ctx) {
    const text = fs.readFileSync(file.path, 'utf8');
    await ctx.setTag(file, 'words', text.split(/\\s+/).filter(Boolean).length);
    await ctx.copyToPluginStep(file, 'other', 'audit');
    return ctx.moveToPluginStep(file, ctx.plugin, 'next', { keepOriginalBasename: true });
  },
});
`;

test('a step that tags and routes a file: success, the tags it set and where the file would go; the original, the inboxes and the queue untouched', () => {
  const t = makeHome();
  try {
    writePlugin(t, 'demo', [{ name: 'main', source: TAG_AND_ROUTE }, { name: 'next', source: 'export function process() { return true; }' }]);
    const input = path.join(t.dir, 'input', 'hello world.txt');
    fs.mkdirSync(path.dirname(input), { recursive: true });
    fs.writeFileSync(input, 'one two three\n');
    const { report } = runOneShot(t, 'demo', 'main', input);
    assert.equal(report.outcome, 'success');
    assert.equal(report.returned, true);
    assert.equal(report.failurePolicy, undefined);
    assert.deepEqual(report.tagsSet, { '0.demo.main.words': '3', 'latest.demo.main.words': '3' });
    assert.equal(report.tags['first.core.original_basename'], 'hello world.txt');
    assert.deepEqual(report.routed.map((r) => [r.action, r.plugin, r.step]), [['copy', 'other', 'audit'], ['move', 'demo', 'next']]);
    assert.equal(report.routed[1].wouldGoTo, path.join(t.home.inDir, 'step.demo.next', 'hello world.txt'));
    assert.equal(fs.readFileSync(report.routed[1].scratchPath, 'utf8'), 'one two three\n', 'the routed copy can be looked at');
    assert.equal(report.finalState, 'routed');
    assert.equal(fs.readFileSync(input, 'utf8'), 'one two three\n', 'the original file is untouched');
    assert.deepEqual(listFiles(path.join(t.home.inDir, 'step.demo.next')), [], 'nothing reached a real inbox');
    assert.ok(!fs.existsSync(path.join(t.home.inDir, 'step.other.audit')));
  } finally {
    t.cleanup();
  }
});

test('a step returning false: failure, the keep policy would put the file in the trash with its tags; the copy stays in the scratch directory', () => {
  const t = makeHome();
  try {
    writePlugin(t, 'demo', [{ name: 'main', source: 'export async function process(file, ctx) { await ctx.setTag(file, "seen", "yes"); return false; }', config: { processTimeout: 30 } }]);
    const input = path.join(t.dir, 'a.bin');
    fs.writeFileSync(input, 'x');
    const { report } = runOneShot(t, 'demo', 'main', input);
    assert.equal(report.outcome, 'failure');
    assert.equal(report.reason, 'process() returned false');
    assert.equal(report.failurePolicy?.policy, 'keep');
    assert.equal(report.failurePolicy?.destination, path.join(t.home.inDir, 'trash', 'demo.main', 'a.bin'));
    assert.equal(report.finalState, 'kept');
    assert.ok(fs.existsSync(report.copy), 'the processed copy is kept for a look');
    assert.ok(report.notes.some((n) => n.includes('process_timeout (30 s) is not applied')));
    assert.ok(!fs.existsSync(path.join(t.home.inDir, 'trash')), 'nothing was really trashed');
  } finally {
    t.cleanup();
  }
});

test('a step that throws: the exception with its TypeScript file:line, and the move policy that would apply', () => {
  const t = makeHome();
  try {
    const source = 'export function process(file: { path: string }): boolean {\n  const n: number = 1;\n  if (n > 0) throw new RangeError(`bad file ${file.path.length}`);\n  return true;\n}\n';
    writePlugin(t, 'demo', [{ name: 'main', source, config: { failurePolicy: 'move', failurePolicyMoveDestDir: 'demo/errors' } }]);
    const input = path.join(t.dir, 'b.txt');
    fs.writeFileSync(input, 'b');
    const { report } = runOneShot(t, 'demo', 'main', input);
    assert.equal(report.outcome, 'failure');
    assert.match(report.reason ?? '', /^exception: RangeError: bad file \d+$/);
    assert.equal(report.exception?.type, 'RangeError');
    assert.equal(report.exception?.location, `${path.join(t.dir, 'plugins', 'demo', 'main.ts')}:3`);
    assert.equal(report.failurePolicy?.policy, 'move');
    assert.equal(report.failurePolicy?.destination, path.join(t.home.inDir, 'step.demo.errors', 'b.txt'));
  } finally {
    t.cleanup();
  }
});

test('a step module that does not compile: a failure report naming file:line, not a crash', () => {
  const t = makeHome();
  try {
    writePlugin(t, 'demo', [{ name: 'main', source: 'export function process( {\n' }]);
    const input = path.join(t.dir, 'c.txt');
    fs.writeFileSync(input, 'c');
    const { report } = runOneShot(t, 'demo', 'main', input);
    assert.equal(report.outcome, 'failure');
    assert.match(report.reason ?? '', new RegExp(`${path.join(t.dir, 'plugins', 'demo', 'main.ts').replace(/[.]/g, '\\.')}:\\d+:\\d+: `));
    assert.equal(report.copy, '', 'no copy was made');
  } finally {
    t.cleanup();
  }
});

test('--workspace: the example plugin normalize, read from its config.ini, on a CRLF file: line_count tag and the archive step it would move to', () => {
  const t = makeHome();
  try {
    const ws = path.join(t.dir, 'ws');
    fs.cpSync(path.join(ROOT, 'examples/plugins/normalize'), path.join(ws, 'plugins/normalize'), { recursive: true });
    const input = path.join(t.dir, 'notes.txt');
    fs.writeFileSync(input, 'a  \r\nb\r\n');
    const { report } = runOneShot(t, 'normalize', 'main', input, ['--workspace', ws]);
    assert.equal(report.outcome, 'success', report.reason);
    assert.deepEqual(report.tagsSet, { '0.normalize.main.line_count': '2', 'latest.normalize.main.line_count': '2' });
    assert.deepEqual(report.routed.map((r) => r.wouldGoTo), [path.join(t.home.inDir, 'step.normalize.archive', 'notes.txt')]);
    assert.equal(fs.readFileSync(report.routed[0].scratchPath, 'utf8'), 'a\nb\n');
    assert.equal(fs.readFileSync(input, 'utf8'), 'a  \r\nb\r\n');
  } finally {
    t.cleanup();
  }
});
