// In-host: the extension activates on a workspace holding plugins and contributes its commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';

const EXTENSION_ID = 'mfdata.mfdata-vscode';

describe('activation', () => {
  it('activates on a workspace with plugins/<name>/config.ini', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the host was opened on a workspace folder');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded in the host`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers the MFDATA commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['mfdata.showVersion']) assert.ok(commands.includes(id), `${id} is registered`);
  });
});
