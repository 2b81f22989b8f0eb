// The test each template ships for its author (test/plugin.test.mjs), run as the author runs it: `mfdata plugins create`
// into a fresh directory, then `node --test test/plugin.test.mjs` in the plugin with `mfdata` on PATH (the repository's
// bin/mfdata launcher). Each author test starts and stops its own private runtime through `mfdata start|inject|stop`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../steps/runtime-harness';

const TEMPLATES = fs.readdirSync(path.join(ROOT, 'templates'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('_')).map((d) => d.name).sort();

interface Outcome {
  template: string;
  code: number | null;
  output: string;
}

function runAuthorTest(template: string, parent: string): Promise<Outcome> {
  const dir = path.join(parent, template);
  fs.mkdirSync(dir);
  const create = spawnSync(path.join(ROOT, 'bin/mfdata'), ['plugins', 'create', `a_${template}`, '--template', template, '--dir', dir], { encoding: 'utf8' });
  if (create.status !== 0) return Promise.resolve({ template, code: create.status, output: `plugins create: ${create.stderr}` });
  const pluginDir = path.join(dir, `a_${template}`);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.join(ROOT, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` };
  delete env.MFDATA_CLI;
  delete env.NODE_TEST_CONTEXT;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', 'test/plugin.test.mjs'], { cwd: pluginDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += String(d); });
    child.stderr.on('data', (d) => { output += String(d); });
    const timer = setTimeout(() => child.kill('SIGTERM'), 50000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ template, code, output }); });
  });
}

test("every template's own author test passes against the real mfdata command", async () => {
  assert.ok(TEMPLATES.length >= 10, `templates found: ${TEMPLATES.join(', ')}`);
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'mftpl-'));
  try {
    const outcomes: Outcome[] = [];
    // Four at a time: each author test runs its own redis-server, supervisor and workers.
    const queue = [...TEMPLATES];
    await Promise.all([1, 2, 3, 4].map(async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) outcomes.push(await runAuthorTest(t, parent));
    }));
    const failed = outcomes.filter((o) => o.code !== 0 || !/^# pass [1-9]/m.test(o.output) || !/^# fail 0$/m.test(o.output));
    assert.deepEqual(failed.map((o) => `${o.template}: exit ${o.code}\n${o.output.slice(-3000)}`), []);
    // Each author test removes its private runtime: no temporary home is left behind.
    const leftovers = fs.readdirSync(os.tmpdir()).filter((n) => TEMPLATES.some((t) => n.startsWith(`mfdata-a_${t}-`)));
    assert.deepEqual(leftovers, []);
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
});
