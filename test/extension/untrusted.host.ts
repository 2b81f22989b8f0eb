// In-host, in a host with workspace trust ENABLED and this folder not trusted (run by test-host.mjs
// with a profile whose settings keep `security.workspace.trust.enabled` and no --disable-workspace-trust):
// the extension still activates (limited support) but refuses to start the runtime and says why.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import type { CommandResult } from '../../src/commands/context';
import { activeApi, workspaceRoot } from './helpers';

describe('an untrusted workspace', () => {
  it('is untrusted in this host', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('activates with the untrusted welcome state and refuses MFDATA: Start Runtime, saying why', async () => {
    const api = await activeApi();
    assert.equal(api.controller.state, 'untrusted');
    const result = await vscode.commands.executeCommand<CommandResult>('mfdata.start');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /untrusted workspace: it runs the plugin code of this folder/);
    assert.equal(fs.existsSync(path.join(workspaceRoot(), '.mfdata', 'var', 'supervisor.sock')), false, 'no supervisor socket was created');
    assert.equal(api.monitor.status, undefined);
  });
});
