// In-host step debugging with the real js-debug, the real supervisor and redis-server: "Debug Step" stops at a
// breakpoint in the plugin's .ts with the file readable in the variables, the step is shown as "debugging" and is
// back under supervision afterwards; a session stopped mid-file loses nothing and processes nothing twice;
// "Debug Step on This File" stops and reports; "Uncaught Exceptions" stops at a step's throw.
// The runtime is started by the CLI (`mfdata start --no-generate` on a config_auto generated here), then, in a
// second suite, by the extension's own `mfdata.start`, ended by `mfdata.stop` with no process left.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, afterEach, before, describe, it } from 'mocha';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { generateConfigAuto } from '../../runtime/config/generate';
import { writeConfigAuto } from '../../runtime/config/generate/write';
import type { OneShotReport } from '../../runtime/debug/report';
import type { RuntimeStatus } from '../../runtime/supervisor/protocol';
import type { CommandResult } from '../../src/commands/context';
import type { DebugLaunchResult } from '../../src/debug/registerDebug';
import type { FileRunResult } from '../../src/debug/stepDebugger';
import { findExecutable } from '../../src/runtime/launcher';
import type { MfdataApi } from '../../src/extension';
import { activeApi, EXTENSION_ID, isLive, processesNaming, screenshot, waitFor, workspaceRoot } from './helpers';

interface Stopped {
  session: vscode.DebugSession;
  body: { reason: string; threadId: number; description?: string };
}

/** Records DAP `stopped` events; `uncaught` plays the user ticking "Uncaught Exceptions" in the Breakpoints view. */
class DapRecorder implements vscode.DebugAdapterTrackerFactory {
  stopped: Stopped[] = [];
  uncaught = false;
  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    return {
      onDidSendMessage: (m: { type?: string; event?: string; body?: Stopped['body'] }) => {
        if (m.type === 'event' && m.event === 'stopped' && m.body) this.stopped.push({ session, body: m.body });
      },
      onWillReceiveMessage: (m: { command?: string; arguments?: { filters?: string[]; filterOptions?: Array<{ filterId: string }> } }) => {
        if (this.uncaught && m.command === 'setExceptionBreakpoints' && m.arguments) {
          m.arguments.filters = ['uncaught'];
          if (m.arguments.filterOptions) m.arguments.filterOptions = [{ filterId: 'uncaught' }];
        }
      },
    };
  }
}

interface Frame { name: string; line: number; source?: { path?: string; name?: string } }
interface Variable { name: string; value: string; variablesReference: number }

async function topFrame(s: Stopped): Promise<Frame> {
  const trace = (await s.session.customRequest('stackTrace', { threadId: s.body.threadId, startFrame: 0, levels: 5 })) as { stackFrames: Array<Frame & { id: number }> };
  return trace.stackFrames[0];
}

async function locals(s: Stopped): Promise<Map<string, Variable>> {
  const trace = (await s.session.customRequest('stackTrace', { threadId: s.body.threadId, startFrame: 0, levels: 1 })) as { stackFrames: Array<{ id: number }> };
  const { scopes } = (await s.session.customRequest('scopes', { frameId: trace.stackFrames[0].id })) as { scopes: Array<{ name: string; variablesReference: number }> };
  const { variables } = (await s.session.customRequest('variables', { variablesReference: scopes[0].variablesReference })) as { variables: Variable[] };
  return new Map(variables.map((v) => [v.name, v]));
}

async function children(s: Stopped, v: Variable): Promise<Map<string, Variable>> {
  const { variables } = (await s.session.customRequest('variables', { variablesReference: v.variablesReference })) as { variables: Variable[] };
  return new Map(variables.map((x) => [x.name, x]));
}

/** 1-based line of the marker comment in a fixture file. */
function markerLine(file: string, marker: string): number {
  const i = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(marker));
  assert.ok(i >= 0, `${marker} in ${file}`);
  return i + 1;
}

function dropInto(dir: string, name: string, content: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `.${name}.t`), content);
  fs.renameSync(path.join(dir, `.${name}.t`), path.join(dir, name));
}

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => !n.startsWith('.'));
  } catch {
    return [];
  }
}

describe('step debugging in VS Code (js-debug, real runtime)', function () {
  this.timeout(240_000);
  let api: MfdataApi;
  const recorder = new DapRecorder();
  let registration: vscode.Disposable;
  let ws: string;
  let home: string;
  let cliJs: string;
  let mainTs: string;
  let boomTs: string;

  const watcherState = async (name: string) => (await api.monitor.client.refresh())?.watchers.find((w) => w.name === name);
  const ledger = (): string[] => {
    try {
      return fs.readFileSync(path.join(home, 'var/out/dbgdemo/ledger.txt'), 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ')[0]);
    } catch {
      return [];
    }
  };
  const stepNode = async (step: string) => {
    await api.views.refresh.refreshNow();
    const plugin = (await api.views.plugins.getChildren()).find((p) => p.label === 'dbgdemo');
    return plugin?.children?.find((c) => c.label === step);
  };
  const nextStop = (from: number, reason: string) => waitFor(`a DAP stopped event (${reason})`, () => recorder.stopped.slice(from).find((s) => s.body.reason === reason), 90_000);
  const backUnderSupervision = (watcher: string, workers: number) => waitFor(`${watcher} back with its ${workers} supervised workers`, async () => {
    const w = await watcherState(watcher);
    return w?.state === 'running' && w.processes.length === workers;
  }, 60_000);

  before(async () => {
    api = await activeApi();
    ws = workspaceRoot();
    home = path.join(ws, '.mfdata');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    cliJs = path.join(ext.extensionPath, 'dist/runtime/cli.js');
    fs.cpSync(path.join(ext.extensionPath, 'test/debug/fixtures/dbgdemo'), path.join(ws, 'plugins/dbgdemo'), { recursive: true });
    mainTs = path.join(ws, 'plugins/dbgdemo/main.ts');
    boomTs = path.join(ws, 'plugins/dbgdemo/boom.ts');
    registration = vscode.debug.registerDebugAdapterTrackerFactory('*', recorder);
    // The runtime as a CLI user starts it: configuration generated, then `mfdata start --no-generate`.
    const node = findExecutable('node');
    assert.ok(node, 'node on PATH');
    const loaded = loadRuntimeConfig({ workspace: ws, home, env: { ...process.env, MFDATA_HOME: home } });
    assert.deepEqual(loaded.problems.filter((p) => p.severity === 'error'), []);
    // Only the fixture plugin runs: the workspace's other plugins' workers would write records the log suite reads.
    loaded.config.plugins = loaded.config.plugins.filter((p) => p.name === 'dbgdemo');
    writeConfigAuto(home, generateConfigAuto(loaded.config, { runtimeDir: path.dirname(cliJs), nodePath: node, redisServer: findExecutable('redis-server') }));
    execFileSync(node, [cliJs, '--workspace', ws, '--home', home, 'start', '--no-generate'], { encoding: 'utf8', timeout: 90_000 });
    await waitFor('the extension to see the runtime with the dbgdemo steps running', async () => {
      const s = await api.monitor.client.refresh();
      return s?.watchers.filter((w) => w.plugin === 'dbgdemo').every((w) => w.state === 'running' && w.processes.length === w.numprocesses) && (s.watchers.some((w) => w.plugin === 'dbgdemo'));
    });
  });

  afterEach(async () => {
    recorder.uncaught = false;
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
  });

  after(async () => {
    registration?.dispose();
    if (cliJs) {
      try {
        execFileSync(findExecutable('node')!, [cliJs, '--workspace', ws, '--home', home, 'stop'], { encoding: 'utf8', timeout: 60_000 });
      } catch (err) {
        console.error(`mfdata stop: ${String(err)}`);
      }
    }
    fs.rmSync(path.join(ws, 'plugins/dbgdemo'), { recursive: true, force: true });
  });

  it('Debug Step: the step is handed over and shown "debugging", a breakpoint in main.ts stops with the file in the variables, then the file is processed and the step goes back to its workers', async () => {
    const line = markerLine(mainTs, 'BREAKPOINT: main');
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(mainTs), new vscode.Position(line - 1, 0)))]);
    await vscode.window.showTextDocument(vscode.Uri.file(mainTs));
    const from = recorder.stopped.length;
    const result = await vscode.commands.executeCommand<CommandResult<DebugLaunchResult>>('mfdata.step.debug', 'step.dbgdemo.main');
    assert.equal(result.ok, true, result.ok ? '' : result.error);
    assert.equal(result.ok && result.value?.started, true);
    const handed = await watcherState('step.dbgdemo.main');
    assert.equal(handed?.state, 'handed_over');
    assert.deepEqual(handed?.processes, [], 'the supervised workers stopped taking work');
    assert.match((await stepNode('main'))?.description ?? '', /^debugging · \d+ processed · \d+ failed · queue \d+ · 0\/2 workers/);

    dropInto(path.join(home, 'var/in/step.dbgdemo.main'), 'report-2026.csv', 'a,b\n1,2\n');
    const stop = await nextStop(from, 'breakpoint');
    const frame = await topFrame(stop);
    assert.equal(frame.line, line, 'stopped at the breakpoint line of the .ts source');
    assert.match(decodeURIComponent(frame.source?.path ?? ''), /plugins\/dbgdemo\/main\.ts$/);
    const vars = await locals(stop);
    assert.equal(vars.get('name')?.value, "'report-2026.csv'");
    const file = await children(stop, vars.get('file')!);
    assert.match(file.get('path')?.value ?? '', /var\/in\/tmp\/dbgdemo\.main\/[0-9a-f]{32}'$/, 'the claimed file path is readable');
    await screenshot('debug-paused');

    await stop.session.customRequest('continue', { threadId: stop.body.threadId });
    await waitFor('the file in the ledger', () => ledger().includes('report-2026.csv'));
    await vscode.debug.stopDebugging();
    await backUnderSupervision('step.dbgdemo.main', 2);
    // 'starting' until both workers announced they are up (their step loaded), then 'running'.
    await waitFor('the step running again with its 2 workers', async () => /^\d+ processed · \d+ failed · queue \d+ · 2\/2 workers/.test((await stepNode('main'))?.description ?? ''));
    assert.deepEqual(ledger().filter((n) => n === 'report-2026.csv'), ['report-2026.csv'], 'processed once');
  });

  it('a debug session stopped while paused in the middle of a file: every file processed exactly once, none lost', async () => {
    const line = markerLine(mainTs, 'BREAKPOINT: main');
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(mainTs), new vscode.Position(line - 1, 0)))]);
    const from = recorder.stopped.length;
    const result = await vscode.commands.executeCommand<CommandResult<DebugLaunchResult>>('mfdata.step.debug', { plugin: 'dbgdemo', step: 'main' });
    assert.equal(result.ok && result.value?.started, true, result.ok ? '' : result.error);
    const names = Array.from({ length: 8 }, (_, i) => `mid-${i}.txt`);
    const inbox = path.join(home, 'var/in/step.dbgdemo.main');
    for (const n of names) dropInto(inbox, n, `${n}\n`);
    await nextStop(from, 'breakpoint');
    // Stop the whole session while the worker is paused in process().
    await vscode.debug.stopDebugging();
    await backUnderSupervision('step.dbgdemo.main', 2);
    await waitFor('all 8 files in the ledger', () => names.every((n) => ledger().includes(n)), 60_000);
    // The step writes the ledger inside process(); its claim is deleted only after process() returned.
    await waitFor('the inbox and the claim area empty', () => list(inbox).length === 0 && list(path.join(home, 'var/in/tmp/dbgdemo.main')).length === 0, 60_000)
      .catch((err: Error) => { throw new Error(`${err.message}: inbox ${list(inbox).join()}, claims ${list(path.join(home, 'var/in/tmp/dbgdemo.main')).join()}`); });
    await new Promise((r) => setTimeout(r, 1000)); // a second processing would show up meanwhile
    assert.deepEqual(ledger().filter((n) => n.startsWith('mid-')).sort(), names, 'each file exactly once');
    assert.deepEqual(list(inbox), []);
    assert.deepEqual(list(path.join(home, 'var/in/tmp/dbgdemo.main')), [], 'no claim left behind');
    assert.deepEqual(list(path.join(home, 'var/in/trash/dbgdemo.main')), [], 'nothing trashed');
  });

  it('Debug Step on This File: stops at the breakpoint on a copy of the file, then reports success and the tag set, leaving the queue and the file alone', async () => {
    const line = markerLine(mainTs, 'BREAKPOINT: main');
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(mainTs), new vscode.Position(line - 1, 0)))]);
    const sample = path.join(ws, 'data', 'sample.txt');
    fs.mkdirSync(path.dirname(sample), { recursive: true });
    fs.writeFileSync(sample, 'twelve bytes');
    const from = recorder.stopped.length;
    const finished = new Promise<FileRunResult>((r) => { const d = api.debug.onDidFinishFileRun((x) => { d.dispose(); r(x); }); });
    const result = await vscode.commands.executeCommand<CommandResult<DebugLaunchResult>>('mfdata.step.debugFile', vscode.Uri.file(sample), 'dbgdemo/main');
    assert.equal(result.ok && result.value?.started, true, result.ok ? '' : result.error);
    const stop = await nextStop(from, 'breakpoint');
    assert.equal((await topFrame(stop)).line, line);
    const vars = await locals(stop);
    assert.equal(vars.get('name')?.value, "'sample.txt'");
    assert.match((await children(stop, vars.get('file')!)).get('path')?.value ?? '', /tmp\/debug\/[0-9a-f]+\/claim\/[0-9a-f]{32}'$/, 'the step works on a copy');
    await stop.session.customRequest('continue', { threadId: stop.body.threadId });
    const run = await finished;
    const report = run.report as OneShotReport;
    assert.ok(report, run.error);
    assert.equal(report.outcome, 'success');
    assert.deepEqual(report.tagsSet, { '0.dbgdemo.main.size': '12', 'latest.dbgdemo.main.size': '12' });
    assert.equal(fs.readFileSync(sample, 'utf8'), 'twelve bytes', 'the original file is untouched');
    const w = await watcherState('step.dbgdemo.main');
    assert.equal(w?.state, 'running', 'the step was never handed over');
  });

  it('"Uncaught Exceptions" stops at the throw in a step on this file; the report names the failure policy that would apply', async () => {
    recorder.uncaught = true;
    const line = markerLine(boomTs, 'THROW: boom');
    const boom = path.join(ws, 'data', 'boom.txt');
    fs.mkdirSync(path.dirname(boom), { recursive: true });
    fs.writeFileSync(boom, 'boom\n');
    const from = recorder.stopped.length;
    const finished = new Promise<FileRunResult>((r) => { const d = api.debug.onDidFinishFileRun((x) => { d.dispose(); r(x); }); });
    const result = await vscode.commands.executeCommand<CommandResult<DebugLaunchResult>>('mfdata.step.debugFile', vscode.Uri.file(boom), 'dbgdemo/boom');
    assert.equal(result.ok && result.value?.started, true, result.ok ? '' : result.error);
    const stop = await nextStop(from, 'exception');
    const frame = await topFrame(stop);
    assert.equal(frame.line, line, 'stopped at the throw');
    assert.match(decodeURIComponent(frame.source?.path ?? ''), /plugins\/dbgdemo\/boom\.ts$/);
    await stop.session.customRequest('continue', { threadId: stop.body.threadId });
    const report = (await finished).report as OneShotReport;
    assert.equal(report.outcome, 'failure');
    assert.match(report.reason ?? '', /it says boom/);
    assert.equal(report.failurePolicy?.policy, 'keep');
    assert.equal(report.failurePolicy?.destination, path.join(home, 'var/in/trash/dbgdemo.boom/boom.txt'));
  });

  it('"Uncaught Exceptions" also stops in Debug Step (queue): after continuing, the worker applies the failure policy', async () => {
    recorder.uncaught = true;
    const line = markerLine(boomTs, 'THROW: boom');
    const from = recorder.stopped.length;
    const result = await vscode.commands.executeCommand<CommandResult<DebugLaunchResult>>('mfdata.step.debug', 'step.dbgdemo.boom');
    assert.equal(result.ok && result.value?.started, true, result.ok ? '' : result.error);
    dropInto(path.join(home, 'var/in/step.dbgdemo.boom'), 'bad.txt', 'boom\n');
    const stop = await nextStop(from, 'exception');
    assert.equal((await topFrame(stop)).line, line);
    await stop.session.customRequest('continue', { threadId: stop.body.threadId });
    await waitFor('bad.txt in the trash (failure_policy = keep)', () => list(path.join(home, 'var/in/trash/dbgdemo.boom')).includes('bad.txt'));
    await vscode.debug.stopDebugging();
    await backUnderSupervision('step.dbgdemo.boom', 1);
  });
});

describe('step debugging with the runtime started by the extension (mfdata.start … mfdata.stop)', function () {
  this.timeout(240_000);
  let api: MfdataApi;
  const recorder = new DapRecorder();
  let registration: vscode.Disposable;
  let ws: string;
  let home: string;
  let mainTs: string;
  const disposables: vscode.Disposable[] = [];

  const watcherState = async (name: string) => (await api.monitor.client.refresh())?.watchers.find((w) => w.name === name);
  const ledger = (): string[] => {
    try {
      return fs.readFileSync(path.join(home, 'var/out/dbgdemo/ledger.txt'), 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ')[0]);
    } catch {
      return [];
    }
  };

  before(async () => {
    api = await activeApi();
    ws = workspaceRoot();
    home = path.join(ws, '.mfdata');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    fs.cpSync(path.join(ext.extensionPath, 'test/debug/fixtures/dbgdemo'), path.join(ws, 'plugins/dbgdemo'), { recursive: true });
    mainTs = path.join(ws, 'plugins/dbgdemo/main.ts');
    registration = vscode.debug.registerDebugAdapterTrackerFactory('*', recorder);
    await waitFor('no runtime answering (the CLI-started one was stopped)', async () => (await api.monitor.client.refresh()) === undefined);
  });

  after(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    registration?.dispose();
    for (const d of disposables) d.dispose();
    // Never leave a runtime behind, even when a test failed half-way.
    if (api?.monitor.status) await vscode.commands.executeCommand('mfdata.stop');
    fs.rmSync(path.join(ws, 'plugins/dbgdemo'), { recursive: true, force: true });
  });

  it('mfdata.start, Debug Step with a breakpoint, a file stops at the .ts line, continue, processed, back under supervision, mfdata.stop leaves nothing running', async () => {
    const started = await vscode.commands.executeCommand<CommandResult<RuntimeStatus>>('mfdata.start');
    assert.equal(started.ok, true, started.ok ? '' : started.error);
    const status = await waitFor('the dbgdemo steps running under the extension-started supervisor', async () => {
      const st = await api.monitor.client.refresh();
      const steps = st?.watchers.filter((w) => w.plugin === 'dbgdemo') ?? [];
      return steps.length === 2 && steps.every((w) => w.state === 'running' && w.processes.length === w.numprocesses) ? st : undefined;
    });
    assert.equal(status.home, home);
    const pids = new Set<number>([status.pid, ...status.watchers.flatMap((w) => w.processes.map((p) => p.pid))]);

    const sessions = { started: new Map<string, vscode.DebugSession>(), ended: new Set<string>() };
    const listeners = [
      vscode.debug.onDidStartDebugSession((x) => sessions.started.set(x.id, x)),
      vscode.debug.onDidTerminateDebugSession((x) => sessions.ended.add(x.id)),
    ];
    disposables.push(...listeners);
    const line = markerLine(mainTs, 'BREAKPOINT: main');
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(mainTs), new vscode.Position(line - 1, 0)))]);
    const from = recorder.stopped.length;
    const result = await vscode.commands.executeCommand<CommandResult<DebugLaunchResult>>('mfdata.step.debug', { plugin: 'dbgdemo', step: 'main' });
    assert.equal(result.ok && result.value?.started, true, result.ok ? '' : result.error);
    const handed = await watcherState('step.dbgdemo.main');
    assert.equal(handed?.state, 'handed_over');
    assert.deepEqual(handed?.processes, [], 'the supervised workers stopped taking work');

    // Injected through the extension, as a user would.
    const sample = path.join(ws, 'data', 'ext-started.csv');
    fs.mkdirSync(path.dirname(sample), { recursive: true });
    fs.writeFileSync(sample, 'x,y\n3,4\n');
    const injected = await vscode.commands.executeCommand<CommandResult>('mfdata.injectFile', vscode.Uri.file(sample), { plugin: 'dbgdemo', step: 'main' });
    assert.equal(injected.ok, true, injected.ok ? '' : injected.error);
    const stop = await waitFor('a DAP stopped event (breakpoint)', () => recorder.stopped.slice(from).find((x) => x.body.reason === 'breakpoint'), 90_000);
    const frame = await topFrame(stop);
    assert.equal(frame.line, line, 'stopped at the breakpoint line of the .ts source');
    assert.match(decodeURIComponent(frame.source?.path ?? ''), /plugins\/dbgdemo\/main\.ts$/);
    assert.equal((await locals(stop)).get('name')?.value, "'ext-started.csv'");

    await stop.session.customRequest('continue', { threadId: stop.body.threadId });
    await waitFor('the file in the ledger', () => ledger().includes('ext-started.csv'));
    await vscode.debug.stopDebugging();
    const back = await waitFor('step.dbgdemo.main back with its 2 supervised workers', async () => {
      const w = await watcherState('step.dbgdemo.main');
      return w?.state === 'running' && w.processes.length === 2 ? w : undefined;
    }, 60_000);
    for (const p of back.processes) pids.add(p.pid);
    assert.deepEqual(ledger().filter((n) => n === 'ext-started.csv'), ['ext-started.csv'], 'processed once');

    const stopped = await vscode.commands.executeCommand<CommandResult>('mfdata.stop');
    assert.equal(stopped.ok, true, stopped.ok ? '' : stopped.error);
    await waitFor('every runtime process to exit', () => [...pids].every((pid) => !isLive(pid)), 30_000);
    assert.deepEqual(processesNaming(home), [], `no process names the home ${home}`);
    assert.equal(api.monitor.status, undefined);
    // Every debug session this test started (the mfdata launch and its js-debug children) has terminated.
    assert.ok(sessions.started.size > 0, 'Debug Step started debug sessions');
    await waitFor(`the debug sessions of this test to terminate (left: ${[...sessions.started.values()].filter((x) => !sessions.ended.has(x.id)).map((x) => `${x.type} ${x.name}`).join(', ')})`,
      () => [...sessions.started.keys()].every((id) => sessions.ended.has(id)), 15_000);
    fs.rmSync(sample, { force: true });
  });
});
