// In-host: the configuration language features in a real VS Code. A broken directory_observer.ini and a
// broken plugin config.ini get their Problems, completion and quick fixes (whose edits change the text);
// typing re-checks without saving; a generated file opens read-only.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import { activeApi, screenshot, waitFor, workspaceRoot } from './helpers';

const SOURCE = 'mfdata config check';

function problems(uri: vscode.Uri): string[] {
  return vscode.languages.getDiagnostics(uri)
    .filter((d) => d.source === SOURCE)
    .map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${String(d.code)}`)
    .sort();
}

async function completionLabels(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

async function quickFix(uri: vscode.Uri, range: vscode.Range, title: string): Promise<vscode.CodeAction> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range);
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `quick fix "${title}" among ${actions.map((a) => a.title).join(' | ')}`);
  return action;
}

describe('configuration language features', function () {
  this.timeout(120_000);
  let ws: string;
  let observerFile: string;
  let pluginDir: string;
  let missingDir: string;
  let generated: string;

  before(async () => {
    await activeApi();
    ws = workspaceRoot();
    observerFile = path.join(ws, 'directory_observer.ini');
    pluginDir = path.join(ws, 'plugins', 'langtest');
    missingDir = path.join(ws, 'inbox é');
    generated = path.join(process.env.MFDATA_HOME || path.join(ws, '.mfdata'), 'tmp', 'config_auto', 'directory_observer.ini');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const p of [observerFile, pluginDir, missingDir, generated]) fs.rmSync(p, { recursive: true, force: true });
  });

  it('a broken directory_observer.ini: Problems, queue completion, and quick fixes that edit the text and create the directory', async () => {
    fs.writeFileSync(observerFile, `[common]\nredis_unix_socket = /tmp/mfdata-test.sock\n\n[a]\nactive = 1\ndirectory = ${missingDir}\nqueue = step.hello.mian\ntimeuot = 3\n`);
    const uri = vscode.Uri.file(observerFile);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'mfdata-observer-ini');
    await vscode.window.showTextDocument(doc);
    const expected = [`5:12-5:${12 + missingDir.length} missing-directory`, '6:8-6:23 unknown-queue', '7:0-7:7 unknown-key'];
    await waitFor('diagnostics of directory_observer.ini', () => JSON.stringify(problems(uri)) === JSON.stringify(expected) || undefined, 20_000)
      .catch((err: Error) => assert.fail(`${err.message}; got ${JSON.stringify(problems(uri))}`));
    const unknownKey = vscode.languages.getDiagnostics(uri).find((d) => d.code === 'unknown-key')!;
    assert.equal(unknownKey.message, "unknown key 'timeuot' in [a] (did you mean 'timeout'?)");
    assert.equal(unknownKey.severity, vscode.DiagnosticSeverity.Error);

    assert.deepEqual(await completionLabels(uri, new vscode.Position(6, 8)), ['step.hello.main', 'step.hello.slow']);

    const fix = await quickFix(uri, unknownKey.range, "Change 'timeuot' to 'timeout'");
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(doc.lineAt(7).text, 'timeout = 3');

    const queueFix = await quickFix(uri, new vscode.Range(6, 10, 6, 10), "Change 'step.hello.mian' to 'step.hello.main'");
    assert.ok(await vscode.workspace.applyEdit(queueFix.edit!));
    assert.equal(doc.lineAt(6).text, 'queue = step.hello.main');

    const mkdir = await quickFix(uri, new vscode.Range(5, 14, 5, 14), `Create directory ${missingDir}`);
    await vscode.commands.executeCommand(mkdir.command!.command, ...(mkdir.command!.arguments ?? []));
    assert.ok(fs.statSync(missingDir).isDirectory(), 'the quick fix created the directory');
    await waitFor('no problem left in directory_observer.ini', () => problems(uri).length === 0 || undefined, 20_000);
    await doc.save();
  });

  it('a broken plugin config.ini: Problems, enum completion, a missing mandatory key added by a quick fix', async () => {
    fs.mkdirSync(pluginDir, { recursive: true });
    const file = path.join(pluginDir, 'config.ini');
    fs.writeFileSync(file, '[general]\n_version = 1.0.0\n_summary = s\n_license = MIT\n_url = https://example.invalid\n_maintainer = m\n\n[step_main]\n_step_module = builtin:delete\nfailure_policy = mvoe\nnumprocesess = 2\n');
    const uri = vscode.Uri.file(file);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'mfdata-config-ini');
    const editor = await vscode.window.showTextDocument(doc);
    const expected = ['0:1-0:8 missing-key', '10:0-10:12 unknown-key', '9:17-9:21 bad-enum'];
    await waitFor('diagnostics of config.ini', () => JSON.stringify(problems(uri)) === JSON.stringify(expected) || undefined, 20_000)
      .catch((err: Error) => assert.fail(`${err.message}; got ${JSON.stringify(problems(uri))}`));

    assert.deepEqual(await completionLabels(uri, new vscode.Position(9, 17)), ['keep', 'delete', 'move']);

    // The fix writes a placeholder value, never an empty one (an error of its own).
    const add = await quickFix(uri, new vscode.Range(0, 3, 0, 3), "Add '_vendor = your organisation' to [general]");
    assert.ok(await vscode.workspace.applyEdit(add.edit!));
    assert.equal(doc.lineAt(6).text, '_vendor = your organisation');
    assert.equal(doc.lineAt(7).text, '', 'inserted after the last key of [general], before the blank line');

    // As you type: an unsaved edit is checked after the debounce, without saving.
    await editor.edit((b) => b.replace(new vscode.Range(6, 10, 6, 27), 'us'));
    const fixEnum = await quickFix(uri, new vscode.Range(10, 18, 10, 18), "Change 'mvoe' to 'move'");
    assert.ok(await vscode.workspace.applyEdit(fixEnum.edit!));
    await waitFor('only the misspelt key and move-without-dest left', () =>
      JSON.stringify(problems(uri)) === JSON.stringify(['10:17-10:21 move-without-dest', '11:0-11:12 unknown-key']) || undefined, 20_000)
      .catch((err: Error) => assert.fail(`${err.message}; got ${JSON.stringify(problems(uri))}`));
    assert.ok(doc.isDirty, 'checked while unsaved');
    await doc.save();
  });

  it('shows diagnostics and completion in the editor (screenshot)', async () => {
    const uri = vscode.Uri.file(observerFile);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.insert(new vscode.Position(doc.lineCount, 0), '[b]\ndirectory = /nowhere/inbox\nforced_pol = 5\nqueue = '));
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    await waitFor('diagnostics of the edited text', () => problems(uri).some((p) => p.endsWith('unknown-key')) || undefined, 20_000);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('editor.action.triggerSuggest');
    await screenshot('language-diagnostics-completion');
    await vscode.commands.executeCommand('hideSuggestWidget');
  });

  it('a generated file under tmp/config_auto opens read-only, in the observer language', async () => {
    fs.mkdirSync(path.dirname(generated), { recursive: true });
    fs.writeFileSync(generated, `[common]\nredis_unix_socket = /tmp/mfdata-test.sock\n[step_hello_main_1]\nactive = 1\ndirectory = ${ws}\nqueue = step.hello.main\n`);
    await vscode.window.showTextDocument(vscode.Uri.file(generated));
    const editor = await waitFor('the read-only view replaces the file tab', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'mfdata-generated' ? e : undefined;
    }, 20_000);
    assert.equal(editor.document.uri.path, generated);
    assert.equal(editor.document.languageId, 'mfdata-observer-ini');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(editor.document.uri, Buffer.from('x'))), /NoPermissions|permission/i);
    const fileTabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'file' && t.input.uri.fsPath === generated);
    assert.equal(fileTabs.length, 0, 'the writable file: tab was closed');
    // The file: document outlives its tab: its Problems would repeat the read-only view's.
    await waitFor('the file: copy has no Problems', () => vscode.languages.getDiagnostics(vscode.Uri.file(generated)).length === 0, 5_000);
  });
});
