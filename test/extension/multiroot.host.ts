// In-host, on a multi-root workspace (multiroot.code-workspace from test-host.mjs: notes/ without a project, then
// the project alpha/; beta/, another project, is added and removed here): the runtime follows the folder holding
// the project, the status bar names it, "Select Project Folder" and mfdata.projectFolder switch it, and the runtime
// started after a switch is the chosen folder's.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, describe, it } from 'mocha';
import type { CommandResult } from '../../src/commands/context';
import type { MfdataApi } from '../../src/extension';
import { activeApi, processesNaming, waitFor } from './helpers';

const beta = process.env.MFDATA_MULTIROOT_BETA ?? '';

function folderNamed(name: string): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.name === name);
  if (!f) throw new Error(`no workspace folder named ${name} (folders: ${vscode.workspace.workspaceFolders?.map((w) => w.name).join(', ')})`);
  return f;
}

function tooltip(api: MfdataApi): string {
  const t = api.statusBar.tooltip;
  return typeof t === 'string' ? t : t?.value ?? '';
}

describe('a multi-root workspace', () => {
  let api: MfdataApi;

  after(async () => {
    await vscode.workspace.getConfiguration('mfdata').update('projectFolder', undefined, vscode.ConfigurationTarget.Workspace);
    const home = path.join(beta, '.mfdata');
    if (processesNaming(home).length > 0) await vscode.commands.executeCommand('mfdata.stop');
  });

  it('follows the folder holding the project, not the first folder, and names it in the status bar', async () => {
    assert.ok(beta && fs.existsSync(path.join(beta, 'mfdata.ini')), 'test-host.mjs prepared beta/');
    assert.deepEqual(vscode.workspace.workspaceFolders?.map((f) => f.name), ['notes', 'alpha']);
    api = await activeApi();
    const alpha = folderNamed('alpha').uri.fsPath;
    assert.equal(api.workspace.root, alpha);
    assert.equal(api.workspace.home()?.root, path.join(alpha, '.mfdata'));
    assert.equal(api.monitor.client.socketPath, path.join(alpha, '.mfdata', 'var', 'supervisor.sock'));
    assert.deepEqual(api.workspace.plugins(), ['hello']);
    assert.match(tooltip(api), new RegExp(`Project folder: alpha \\(${alpha.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
    assert.equal(api.controller.state, 'notRunning');
  });

  it('keeps its folder when another project folder is added, and says the choice is ambiguous', async () => {
    const alpha = folderNamed('alpha').uri.fsPath;
    assert.ok(vscode.workspace.updateWorkspaceFolders(2, 0, { uri: vscode.Uri.file(beta), name: 'beta' }));
    await waitFor('beta among the workspace folders', () => vscode.workspace.workspaceFolders?.some((f) => f.name === 'beta'));
    await waitFor('two candidate projects', () => api.workspace.projectFolders.length === 2);
    assert.equal(api.workspace.root, alpha);
    assert.equal(api.workspace.ambiguous, true);
    assert.match(api.workspace.description, /first of 2 MFDATA projects/);
  });

  it('switches to the folder picked with MFDATA: Select Project Folder and remembers it', async () => {
    const result = await vscode.commands.executeCommand<CommandResult<string>>('mfdata.selectProjectFolder', beta);
    assert.deepEqual(result, { ok: true, value: beta });
    assert.equal(api.workspace.root, beta);
    assert.equal(api.workspace.ambiguous, false);
    assert.match(api.workspace.description, /chosen with MFDATA: Select Project Folder/);
    assert.equal(api.monitor.client.socketPath, path.join(beta, '.mfdata', 'var', 'supervisor.sock'));
    await waitFor('the status bar naming beta', () => tooltip(api).includes(`Project folder: beta (${beta})`));
    const unknown = await vscode.commands.executeCommand<CommandResult>('mfdata.selectProjectFolder', '/no/such/folder');
    assert.equal(unknown.ok, false);
    assert.match(unknown.ok ? '' : unknown.error, /"\/no\/such\/folder" is not a folder of this workspace \(folders: notes, alpha, beta\)/);
    assert.equal(api.workspace.root, beta);
  });

  it('lets the setting mfdata.projectFolder override the pick, and returns to the pick when it is cleared', async () => {
    const config = vscode.workspace.getConfiguration('mfdata');
    await config.update('projectFolder', 'alpha', vscode.ConfigurationTarget.Workspace);
    await waitFor('the setting followed', () => api.workspace.root === folderNamed('alpha').uri.fsPath);
    assert.match(api.workspace.description, /set by mfdata.projectFolder/);
    await config.update('projectFolder', 'nosuchfolder', vscode.ConfigurationTarget.Workspace);
    await waitFor('an unknown name reported', () => /"nosuchfolder" names no folder/.test(api.workspace.description));
    assert.equal(api.workspace.root, beta);
    await config.update('projectFolder', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('the pick followed again', () => api.workspace.root === beta && /chosen with/.test(api.workspace.description));
  });

  it('starts the chosen folder\'s runtime (its home, its socket), then stops it', async function () {
    this.timeout(180_000);
    const home = path.join(beta, '.mfdata');
    const started = await vscode.commands.executeCommand<CommandResult>('mfdata.start');
    assert.equal(started.ok, true, started.ok ? '' : started.error);
    assert.ok(fs.existsSync(path.join(home, 'var', 'supervisor.sock')), 'the supervisor socket is in beta/.mfdata');
    assert.equal(fs.existsSync(path.join(folderNamed('alpha').uri.fsPath, '.mfdata', 'var', 'supervisor.sock')), false, 'nothing started in alpha');
    await waitFor('the running state', () => api.controller.state === 'running');
    assert.ok(processesNaming(home).length > 0);
    const stopped = await vscode.commands.executeCommand<CommandResult>('mfdata.stop');
    assert.equal(stopped.ok, true, stopped.ok ? '' : stopped.error);
    await waitFor('no process naming beta\'s home', () => processesNaming(home).length === 0);
  });

  it('falls back to the remaining project when the chosen folder is removed', async () => {
    const index = vscode.workspace.workspaceFolders!.findIndex((f) => f.name === 'beta');
    assert.ok(vscode.workspace.updateWorkspaceFolders(index, 1));
    await waitFor('alpha followed again', () => api.workspace.root === folderNamed('alpha').uri.fsPath);
    assert.match(api.workspace.description, /the only folder holding an MFDATA project/);
    assert.equal(api.monitor.client.socketPath, path.join(folderNamed('alpha').uri.fsPath, '.mfdata', 'var', 'supervisor.sock'));
    await waitFor('the status bar naming alpha', () => tooltip(api).includes('Project folder: alpha ('));
  });
});
