// In-host: on a workspace holding plugins, the extension activates, contributes its commands and
// views, and reports the runtime as not running until it is started.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { activeApi } from './helpers';

describe('activation', () => {
  it('activates on a workspace with plugins/<name>/config.ini', async () => {
    assert.ok(vscode.workspace.workspaceFolders?.[0], 'the host was opened on a workspace folder');
    const api = await activeApi();
    assert.match(api.version, /^\d+\.\d+\.\d+/);
  });

  it('registers every MFDATA palette command', async () => {
    const commands = await vscode.commands.getCommands(true);
    const expected = ['start', 'stop', 'restart', 'showStatus', 'createPlugin', 'injectFile', 'openGeneratedConfig', 'purgeQueue', 'revealHome'];
    for (const id of expected) assert.ok(commands.includes(`mfdata.${id}`), `mfdata.${id} is registered`);
  });

  it('says the runtime is not running (welcome view state notRunning) before any start', async () => {
    const api = await activeApi();
    assert.equal(api.controller.state, 'notRunning');
    assert.deepEqual(await api.views.plugins.getChildren(), []);
  });
});
