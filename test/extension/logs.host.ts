// In-host, with the REAL runtime: `mfdata start` on the fixture workspace (plus the fixture plugin `logdemo`, whose
// step logs an error through ctx.log and throws), a file handed over with `mfdata inject`; the worker's records
// show up in the MFDATA Logs panel (filtered to the step by the "Show Logs" command a tree item runs) and in the
// MFDATA output channel with their [plugin/step] category. Stopped afterwards with no process left naming the home.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, describe, it } from 'mocha';
import { activeApi, EXTENSION_ID, processesNaming, screenshot, waitFor, workspaceRoot } from './helpers';

function extensionPath(): string {
  return vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
}

/** The bundled CLI on the workspace and the home the extension follows (`<workspace>/.mfdata`, a short temp path). */
function mfdata(...args: string[]): string {
  return execFileSync('node', [path.join(extensionPath(), 'dist/runtime/cli.js'), ...args,
    '--workspace', workspaceRoot(), '--home', path.join(workspaceRoot(), '.mfdata')], { encoding: 'utf8', timeout: 60_000 });
}

describe('log panel and output channel, fed by the real runtime', function () {
  this.timeout(180_000);
  const plugin = (): string => path.join(workspaceRoot(), 'plugins', 'logdemo');
  let sample: string | undefined;
  let moduleIni: string | undefined;

  after(() => {
    const home = path.join(workspaceRoot(), '.mfdata');
    try {
      mfdata('stop');
    } finally {
      fs.rmSync(plugin(), { recursive: true, force: true });
      if (moduleIni !== undefined) fs.writeFileSync(path.join(workspaceRoot(), 'mfdata.ini'), moduleIni);
      if (sample) fs.rmSync(path.dirname(sample), { recursive: true, force: true });
    }
    assert.deepEqual(processesNaming(home), [], `no process names the home ${home} after mfdata stop`);
  });

  it('a step logging an error appears in the panel filtered by step, and in the output channel with its category', async () => {
    const api = await activeApi();
    fs.cpSync(path.join(extensionPath(), 'test/extension/fixtures/logdemo'), plugin(), { recursive: true });
    moduleIni = fs.readFileSync(path.join(workspaceRoot(), 'mfdata.ini'), 'utf8');
    fs.writeFileSync(path.join(workspaceRoot(), 'mfdata.ini'), '# in-host logs test: no hot reload while the suite edits plugins\n[autorestart]\nflag = 0\n');
    assert.match(mfdata('start'), /mfdata started/);

    sample = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mflogs-')), 'report.csv');
    fs.writeFileSync(sample, 'a;b\n1;2\n');
    mfdata('inject', sample, '--plugin', 'logdemo', '--step', 'main');

    // What "Show Logs" on the step's tree item runs.
    await vscode.commands.executeCommand('mfdata.showLogs', { plugin: 'logdemo', step: 'main' });
    const panel = api.logs.panel;
    const rows = await waitFor('the step records in the panel', () => {
      api.logs.refresh();
      const r = panel.store.rows(0, 100);
      return r.some((x) => x.level === 'error' && x.exception) ? r : undefined;
    });
    assert.deepEqual(panel.store.filter, { level: '', plugin: 'logdemo', step: 'main', text: '', regex: false });
    assert.ok(rows.every((r) => r.origin === 'logdemo/main'), `only logdemo/main rows: ${JSON.stringify(rows.map((r) => r.origin))}`);
    const logged = rows.find((r) => r.message === 'cannot parse the file');
    assert.ok(logged, `ctx.log.error's record in the panel: ${JSON.stringify(rows.map((r) => r.message))}`);
    assert.equal(logged.level, 'error');
    const thrown = rows.find((r) => r.exception);
    assert.ok(thrown);
    assert.match(thrown.exception ?? '', /TypeError: cannot parse report\.csv/);
    assert.match(thrown.exceptionFile ?? '', /logdemo\/main\.ts:\d+/);
    assert.ok(panel.store.held > rows.length, 'records of other processes (supervisor, observer) are held, only filtered out');
    await waitFor('the panel state posted to a visible webview', () => (panel.lastPosted?.total ?? 0) >= rows.length);

    // The output channel: the category slot carries plugin/step, the level is the channel's own.
    const showCommand = (await vscode.commands.getCommands(true)).find((c) => c.startsWith('workbench.action.output.show.mfdata.mfdata-vscode.MFDATA'));
    assert.ok(showCommand, 'the MFDATA output channel is registered');
    await vscode.commands.executeCommand(showCommand);
    const output = await waitFor('the MFDATA output channel document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('MFDATA.log') && d.getText().includes('cannot parse the file')));
    const text = output.getText();
    assert.match(text, /\[error\] \[logdemo\/main\] cannot parse the file \{.*reason=no header line.*\} \(mfdata\.logdemo\.main#\d+\)/);
    assert.match(text, /TypeError: cannot parse report\.csv/);

    // Back to the panel (the output view took its place), narrow further as a user would, keep a picture of it.
    await vscode.commands.executeCommand('mfdata.showLogs', { plugin: 'logdemo', step: 'main' });
    panel.setFilter({ plugin: 'logdemo', step: 'main', level: 'error', text: 'parse', regex: false });
    const errors = panel.store.rows(0, 50);
    assert.ok(errors.length >= 2 && errors.every((r) => r.level === 'error'), JSON.stringify(errors.map((r) => [r.level, r.message])));
    // The webview loaded under its CSP, got the state and asked for the rows it shows.
    await waitFor('the webview asking for rows', () => panel.webviewStats.ready > 0 && panel.webviewStats.rowRequests > 0, 30_000);
    await screenshot('logs-panel-filtered');
  });

  it('when mfdata.home changes, the panel and the output channel follow the new home log directory', async () => {
    const api = await activeApi();
    const original = path.join(workspaceRoot(), '.mfdata', 'log');
    assert.equal(api.logs.following(), original);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-other-home-'));
    const record = (event: string): string =>
      `${JSON.stringify({ timestamp: new Date().toISOString().replace('Z', '000Z'), level: 'warning', name: 'mfdata.elsewhere.main', pid: 4242, event, plugin: 'elsewhere', step: 'main' })}\n`;
    fs.mkdirSync(path.join(other, 'log'));
    fs.writeFileSync(path.join(other, 'log', 'step_elsewhere_main.log'), record('history of the other home'));
    const settings = vscode.workspace.getConfiguration('mfdata');
    try {
      await settings.update('home', other, vscode.ConfigurationTarget.Workspace);
      await waitFor('the feed to follow the other home', () => api.logs.following() === path.join(other, 'log'));
      const panel = api.logs.panel;
      panel.setFilter({});
      const rows = await waitFor('the other home history in the panel', () => {
        const r = panel.store.rows(0, 100);
        return r.some((x) => x.message.includes('history of the other home')) ? r : undefined;
      });
      assert.ok(rows.every((r) => r.plugin !== 'logdemo'), 'the previous home records are gone from the panel');
      // A live record of the new home reaches the output channel too.
      fs.appendFileSync(path.join(other, 'log', 'step_elsewhere_main.log'), record('live in the other home'));
      const showCommand = (await vscode.commands.getCommands(true)).find((c) => c.startsWith('workbench.action.output.show.mfdata.mfdata-vscode.MFDATA'));
      await vscode.commands.executeCommand(showCommand!);
      await waitFor('the live record in the MFDATA output channel', () => {
        api.logs.refresh();
        return vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('MFDATA.log') && d.getText().includes('[elsewhere/main] live in the other home'));
      });
    } finally {
      await settings.update('home', undefined, vscode.ConfigurationTarget.Workspace);
      fs.rmSync(other, { recursive: true, force: true });
    }
    await waitFor('the feed back on the workspace home', () => api.logs.following() === original);
  });
});
