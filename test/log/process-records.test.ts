// Every process of a running runtime writes mflog records with the exact fields: supervisor, directory_observer,
// conf_monitor (when it runs), the step workers (with plugin/step, and exception keys on a failing file).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordProblems, REQUIRED_KEYS } from '../../runtime/log/record';
import { startRuntime, waitFor, writeWorkspacePlugin } from '../steps/runtime-harness';

const FAILING_STEP = `
import { defineStep } from 'mfdata';
export const step = defineStep({
  async process(file, ctx) {
    ctx.log.info('looking at a file', { size: 5 });
    throw new TypeError('cannot parse ' + file.originalBasename);
  },
});
`;

function jsonRecords(logDir: string): Map<string, Record<string, unknown>[]> {
  const byFile = new Map<string, Record<string, unknown>[]>();
  for (const name of fs.readdirSync(logDir)) {
    const lines = fs.readFileSync(path.join(logDir, name), 'utf8').split('\n').filter((l) => l.startsWith('{'));
    byFile.set(name, lines.map((l) => JSON.parse(l) as Record<string, unknown>));
  }
  return byFile;
}

test('records of the supervisor, the observer and a step worker all carry timestamp, level, name, pid, event and plugin', async () => {
  const rt = await startRuntime((ws) => {
    writeWorkspacePlugin(ws, 'p', ['[step_boom]', '_step_module = main.ts', 'failure_policy = delete', ''].join('\n'));
    fs.writeFileSync(path.join(ws, 'plugins/p/main.ts'), FAILING_STEP);
  });
  try {
    const inbox = path.join(rt.home.inDir, 'step.p.boom');
    rt.drop(inbox, 'bad.txt', 'hello');
    const logFile = path.join(rt.home.logDir, 'step_p_boom.log');
    await waitFor(() => fs.existsSync(logFile) && fs.readFileSync(logFile, 'utf8').includes('"exception_type"'), 'the worker logging the exception', 30000, rt.home.logDir);
    const byFile = jsonRecords(rt.home.logDir);
    const kinds = new Map<string, Record<string, unknown>>();
    for (const [file, records] of byFile) {
      for (const r of records) {
        assert.deepEqual(recordProblems(r), [], `${file}: ${JSON.stringify(r)}`);
        kinds.set(String(r.name), r);
      }
    }
    for (const name of ['supervisor', 'directory_observer', 'mfdata.p.boom']) assert.ok(kinds.has(name), `a record named ${name} (have ${[...kinds.keys()].join(', ')})`);
    for (const r of kinds.values()) assert.deepEqual(Object.keys(r).slice(0, 5), REQUIRED_KEYS.slice(0, 5), 'timestamp, level, name, pid, event come first');
    assert.equal(kinds.get('directory_observer')?.plugin, '#core#');
    const step = byFile.get('step_p_boom.log') ?? [];
    const info = step.find((r) => r.event === 'looking at a file');
    assert.ok(info, 'ctx.log writes into the step log');
    assert.equal(info.plugin, 'p');
    assert.equal(info.step, 'boom');
    assert.equal(info.size, 5);
    const failure = step.find((r) => typeof r.exception === 'string');
    assert.ok(failure);
    assert.equal(failure.level, 'error');
    assert.equal(failure.exception_type, 'TypeError');
    assert.match(String(failure.exception), /cannot parse bad\.txt/);
    assert.match(String(failure.exception_file), /main\.ts:\d+/);
  } finally {
    await rt.stop();
  }
});
