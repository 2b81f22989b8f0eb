// Every process of a running runtime writes mflog records with the exact fields: supervisor, directory_observer,
// conf_monitor (on a config.ini edit), the step workers (with plugin/step, and exception keys on a failing file).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordProblems, REQUIRED_KEYS } from '../../runtime/log/record';
import { ControlClient } from '../../runtime/supervisor/control-client';
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
    const step = byFile.get('step_p_boom.log') ?? [];
    for (const r of kinds.values()) assert.deepEqual(Object.keys(r).slice(0, 5), REQUIRED_KEYS.slice(0, 5), 'timestamp, level, name, pid, event come first');
    assert.equal(kinds.get('directory_observer')?.plugin, '#core#');
    // pid is the process that logged: every supervisor record carries the supervisor's pid; records about a child
    // name it under child_pid (the worker's own records carry that pid as theirs).
    const client = await ControlClient.connect(rt.home.supervisorSocket);
    const status = await client.status().finally(() => client.close());
    const supervisorRecords = byFile.get('supervisor.log') ?? [];
    assert.deepEqual([...new Set(supervisorRecords.map((r) => r.pid))], [status.pid]);
    const workerPids = status.watchers.find((w) => w.name === 'step.p.boom')?.processes.map((p) => p.pid) ?? [];
    const spawned = supervisorRecords.filter((r) => r.event === 'process spawned' && r.watcher === 'step.p.boom');
    assert.deepEqual(spawned.map((r) => r.child_pid), workerPids);
    assert.deepEqual([...new Set(step.map((r) => r.pid))], workerPids);
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

test('conf_monitor records, triggered by editing a config.ini, carry the exact mflog fields with plugin #core#', async () => {
  const rt = await startRuntime((ws) => {
    writeWorkspacePlugin(ws, 'p', ['[step_main]', '_step_module = builtin:delete', ''].join('\n'));
  });
  try {
    const logFile = path.join(rt.home.logDir, 'conf_monitor.log');
    const records = (): Record<string, unknown>[] => (fs.existsSync(logFile) ? jsonRecords(rt.home.logDir).get('conf_monitor.log') ?? [] : []);
    await waitFor(() => records().some((r) => r.event === 'conf_monitor watching'), 'conf_monitor to watch the workspace', 30000, rt.home.logDir);
    const ini = path.join(rt.workspace, 'plugins/p/config.ini');
    fs.appendFileSync(ini, '\n[custom]\nedited = 1\n');
    await waitFor(() => records().some((r) => r.event === 'change detected'), 'conf_monitor to log the change', 30000, rt.home.logDir);
    const all = records();
    for (const r of all) {
      assert.deepEqual(recordProblems(r), [], JSON.stringify(r));
      assert.deepEqual(Object.keys(r).slice(0, 6), [...REQUIRED_KEYS], `timestamp, level, name, pid, event, plugin first: ${JSON.stringify(r)}`);
      assert.match(String(r.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      assert.equal(r.name, 'conf_monitor');
      assert.equal(r.plugin, '#core#');
      assert.ok(r.level === 'info' || r.level === 'warning' || r.level === 'error', String(r.level));
    }
    const change = all.find((r) => r.event === 'change detected');
    assert.ok(change);
    assert.equal(change.level, 'info');
    assert.deepEqual(change.files, [ini], 'the changed file, as a JSON list');
    // pid is the process that logged: the conf_monitor watcher's own process.
    const client = await ControlClient.connect(rt.home.supervisorSocket);
    const status = await client.status().finally(() => client.close());
    const confMonitor = status.watchers.find((w) => w.name === 'conf_monitor');
    assert.ok(confMonitor, 'conf_monitor in the status file');
    assert.deepEqual([...new Set(all.map((r) => r.pid))], confMonitor.processes.map((p) => p.pid));
  } finally {
    await rt.stop();
  }
});
