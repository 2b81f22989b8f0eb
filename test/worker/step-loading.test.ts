// Step modules are TypeScript compiled on load with source maps: errors point at the .ts line, load failures exit 78 with one clear line.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { dropFile, makeHome, startWorker, waitFor, writePlugin } from '../datapath/harness';
import { encodeMessage, messageFor } from '../../runtime/queue/message';
import { EXIT_STEP_LOAD_FAILED } from '../../runtime/worker/exit-codes';

const THROWING_TS = `import type { StepContext, StepFile } from 'mfdata';

interface Parsed { lines: number }

function parse(text: string): Parsed {
  if (text.startsWith('bad')) {
    throw new RangeError('bad input');
  }
  return { lines: text.split('\\n').length };
}

export function process(file: StepFile, ctx: StepContext): boolean {
  const parsed: Parsed = parse(require('node:fs').readFileSync(file.path, 'utf8'));
  ctx.log.info('parsed', { lines: parsed.lines });
  return true;
}
`;

test('an exception thrown by a TypeScript step is logged with the .ts file and line of the throw', async (t) => {
  const redis = await startTestRedis();
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const plugin = writePlugin(home, 'ts', [{ name: 'main', source: THROWING_TS }]);
  const w = startWorker(home, 'ts', 'main', { MFDATA_REDIS_UNIX_SOCKET: redis.socket });
  t.after(async () => {
    await w.stop();
    client.disconnect();
    await redis.stop();
    home.cleanup();
  });
  const inbox = plugin.steps[0].watchedDirectories[0];
  dropFile(inbox, 'in.txt', 'bad data');
  await client.lpush('step.ts.main', encodeMessage(messageFor(inbox, 'in.txt', 'created')));
  await waitFor('exception logged', () => w.records.some((r) => r.event === 'process() raised an exception'));
  const rec = w.records.find((r) => r.event === 'process() raised an exception') as Record<string, string>;
  const tsFile = path.join(plugin.dir, 'main.ts');
  assert.equal(rec.exception_type, 'RangeError');
  assert.equal(rec.exception_file, `${tsFile}:7`);
  assert.ok(rec.exception.includes(`at parse (${tsFile}:7:`), rec.exception);
  assert.ok(rec.exception.includes(`(${tsFile}:13:`), rec.exception);
  // The compiled bundle and its map are kept for debuggers: the map names the original .ts.
  const map = JSON.parse(fs.readFileSync(path.join(home.home.tmpDir, 'build', 'ts', 'main.js.map'), 'utf8')) as { sources: string[] };
  assert.ok(map.sources.includes(tsFile), map.sources.join(','));
});

for (const [what, source, expected] of [
  ['a syntax error', 'export function process(file) {\n  return (true;\n}\n', /main\.ts:2:\d+: /],
  ['no exported step', 'export const notAStep = 1;\n', /main\.ts:1: the module exports no step/],
  ['a throw at load time', 'const x: number = 1;\nthrow new Error("boom at load " + x);\nexport function process() { return true; }\n', /main\.ts:2: the module threw while loading: boom at load 1/],
] as const) {
  test(`a step module with ${what} makes the worker exit ${EXIT_STEP_LOAD_FAILED} with one stderr line naming the file and line`, async (t) => {
    const home = makeHome();
    t.after(() => home.cleanup());
    writePlugin(home, 'broken', [{ name: 'main', source }]);
    const w = startWorker(home, 'broken', 'main', { MFDATA_REDIS_UNIX_SOCKET: path.join(home.dir, 'no-redis.sock') });
    assert.equal(await w.exited, EXIT_STEP_LOAD_FAILED);
    const lines = w.stderr().trimEnd().split('\n');
    assert.equal(lines.length, 1, w.stderr());
    assert.match(lines[0], /^mfdata worker: step module failed to load: \//);
    assert.match(lines[0], expected);
  });
}

test('a worker for an unknown step exits 79 with the plugin file named', async (t) => {
  const home = makeHome();
  t.after(() => home.cleanup());
  writePlugin(home, 'p', [{ name: 'main', source: 'export function process() { return true; }' }]);
  const w = startWorker(home, 'p', 'nope');
  assert.equal(await w.exited, 79);
  assert.match(w.stderr(), /plugin 'p' has no step 'nope' in .*p\.json \(steps: main\)/);
});
