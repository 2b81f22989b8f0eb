// In-host: records a step writes to <home>/log show up in the MFDATA Logs panel (filtered to that step by the
// "Show Logs" command a tree item runs) and in the MFDATA output channel with their [plugin/step] category.
// The lines are written the way a worker writes them (the runtime cannot be started from the host yet:
// see runtime.host.ts); reading, filtering and display are the real extension code.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { activeApi, screenshot, waitFor, workspaceRoot } from './helpers';

function record(n: number, level: string, step: string, event: string, extra: Record<string, unknown> = {}): string {
  const ts = new Date(Date.now() + n).toISOString().replace('Z', '000Z');
  return JSON.stringify({ timestamp: ts, level, name: `mfdata.hello.${step}`, pid: 4242, event, plugin: 'hello', step, ...extra });
}

describe('log panel and output channel', function () {
  this.timeout(120_000);

  it('a step logging an error appears in the panel filtered by step, and in the output channel with its category', async () => {
    const api = await activeApi();
    const logDir = path.join(workspaceRoot(), '.mfdata', 'log');
    fs.mkdirSync(logDir, { recursive: true });
    const traceback = 'TypeError: cannot parse report.csv\n    at process (/ws/plugins/hello/main.ts:12:11)\n    at StepWorker.run (worker.js:80:3)';
    fs.appendFileSync(path.join(logDir, 'step_hello_main.log'), [
      record(1, 'info', 'main', 'file claimed', { file: 'report.csv' }),
      record(2, 'error', 'main', 'process() raised an exception', { file: 'report.csv', exception: traceback, exception_type: 'TypeError', exception_file: '/ws/plugins/hello/main.ts:12' }),
      'Segmentation fault (core dumped)',
    ].join('\n') + '\n');
    fs.appendFileSync(path.join(logDir, 'step_hello_slow.log'), record(3, 'warning', 'slow', 'queue is growing', { length: 12 }) + '\n');
    fs.appendFileSync(path.join(logDir, 'directory_observer.log'), JSON.stringify({ timestamp: new Date().toISOString().replace('Z', '000Z'), level: 'info', name: 'directory_observer', pid: 11, event: 'watching', plugin: '#core#' }) + '\n');

    // What "Show Logs" on the step's tree item runs.
    await vscode.commands.executeCommand('mfdata.showLogs', { plugin: 'hello', step: 'main' });
    const panel = api.logs.panel;
    const rows = await waitFor('the step records in the panel', () => {
      api.logs.refresh();
      const r = panel.store.rows(0, 50);
      return r.some((x) => x.level === 'error') && r.some((x) => x.raw) ? r : undefined;
    });
    assert.deepEqual(panel.store.filter, { level: '', plugin: 'hello', step: 'main', text: '', regex: false });
    assert.deepEqual(rows.map((r) => r.message), ['file claimed', 'process() raised an exception', 'Segmentation fault (core dumped)']);
    const error = rows[1];
    assert.equal(error.origin, 'hello/main');
    assert.equal(error.exception, traceback);
    assert.equal(error.exceptionFile, '/ws/plugins/hello/main.ts:12');
    assert.ok(panel.store.held >= 5, 'the other step and the observer are held, only filtered out');
    await waitFor('the panel state posted to a visible webview', () => panel.lastPosted?.total === 3);

    // The output channel: the category slot carries plugin/step, the level is the channel's own.
    const showCommand = (await vscode.commands.getCommands(true)).find((c) => c.startsWith('workbench.action.output.show.mfdata.mfdata-vscode.MFDATA'));
    assert.ok(showCommand, 'the MFDATA output channel is registered');
    await vscode.commands.executeCommand(showCommand);
    const output = await waitFor('the MFDATA output channel document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('MFDATA.log') && d.getText().includes('process() raised an exception')));
    const text = output.getText();
    assert.match(text, /\[error\] \[hello\/main\] process\(\) raised an exception \{file=report\.csv\} \(mfdata\.hello\.main#4242\)/);
    assert.match(text, /TypeError: cannot parse report\.csv/);
    assert.match(text, /\[warning\] \[hello\/slow\] queue is growing \{length=12\}/);

    // Narrow further, as a user would in the toolbar, and keep a picture of it.
    await vscode.commands.executeCommand('mfdata.showLogs', { plugin: 'hello', step: 'main' });
    panel.setFilter({ plugin: 'hello', step: 'main', level: 'error', text: 'report|segmentation', regex: true });
    assert.deepEqual(panel.store.rows(0, 10).map((r) => r.message), ['process() raised an exception', 'Segmentation fault (core dumped)']);
    // The webview loaded under its CSP, got the state and asked for the rows it shows.
    await waitFor('the webview asking for rows', () => panel.webviewStats.ready > 0 && panel.webviewStats.rowRequests > 0, 30_000);
    await screenshot('logs-panel-filtered');
  });
});
