// The step worker's bundle holds our Redis client and no ioredis; the other runtime processes still bundle ioredis.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

/** The input files esbuild bundles for an entry point, as the build script bundles it. */
async function bundledInputs(entry: string): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', format: 'cjs', write: false, metafile: true,
    external: ['esbuild'], outfile: path.join(root, 'out', 'bundle-check.js'), absWorkingDir: root, logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('the step worker bundle', () => {
  it('bundles runtime/redis and no module of ioredis (nor runtime/queue/connection.ts)', async () => {
    const inputs = await bundledInputs('runtime/worker/main.ts');
    assert.ok(inputs.includes('runtime/redis/client.ts'), 'our client is in the worker bundle');
    assert.deepEqual(inputs.filter((f) => /node_modules\/(ioredis|@ioredis|redis-errors|redis-parser|denque|standard-as-callback|cluster-key-slot)\//.test(f)), []);
    assert.ok(!inputs.includes('runtime/queue/connection.ts'), 'runtime/queue/connection.ts (ioredis) is not imported by the worker');
  });

  it('the built dist/runtime/worker-main.js (run by the worker.js boot file) holds no ioredis code, while the observer and the CLI still do', () => {
    const text = (name: string): string => fs.readFileSync(path.join(root, 'dist', 'runtime', `${name}.js`), 'utf8');
    assert.match(text('worker-main'), /runtime\/redis\/client\.ts/, 'the bundle the worker runs is worker-main.js');
    assert.doesNotMatch(text('worker-main'), /node_modules\/ioredis\//);
    assert.doesNotMatch(text('worker'), /node_modules\/ioredis\//);
    assert.match(text('observer'), /node_modules\/ioredis\//);
    assert.match(text('cli'), /node_modules\/ioredis\//);
  });
});
