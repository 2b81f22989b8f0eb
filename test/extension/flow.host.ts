// In-host: the flow view against the REAL runtime. The fixture plugin `flowdemo` (copied into the workspace)
// switches files by name: good-* to `store`, bad-* to `check`, which fails them into its trash. After three files,
// MFDATA: Show Flow Graph's model (the laid-out nodes and edges the webview draws) holds the switch's routes with
// their counts and the failing branch's error edge; a click on a step node reveals it in the Plugins view.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import type { CommandResult } from '../../src/commands/context';
import type { MfdataApi } from '../../src/extension';
import type { FlowLayout } from '../../src/flow/layout';
import type { JourneyView } from '../../src/flow/journeyModel';
import { activeApi, EXTENSION_ID, processesNaming, screenshot, waitFor, workspaceRoot } from './helpers';

function edgeCounts(layout: FlowLayout | undefined): Record<string, string> {
  return Object.fromEntries((layout?.edges ?? []).map((e) => [`${e.from} -> ${e.to}`, `${e.kind} ${e.count}`]));
}

describe('the flow view on a running runtime', function () {
  this.timeout(180_000);
  let api: MfdataApi;
  let home: string;
  let dir: string;
  const plugin = (): string => path.join(workspaceRoot(), 'plugins/flowdemo');

  before(async () => {
    api = await activeApi();
    home = path.join(workspaceRoot(), '.mfdata');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    fs.cpSync(path.join(ext.extensionPath, 'test/extension/fixtures/flowdemo'), plugin(), { recursive: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-flow-'));
    const started = await vscode.commands.executeCommand<CommandResult>('mfdata.start');
    assert.equal(started.ok, true, started.ok ? '' : started.error);
    await waitFor('the flowdemo steps running', async () => {
      const s = await api.monitor.client.refresh();
      return s?.watchers.filter((w) => w.plugin === 'flowdemo').length === 3 && s.watchers.every((w) => w.state === 'running' && w.processes.length === w.numprocesses);
    });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (api.monitor.status) await vscode.commands.executeCommand('mfdata.stop');
    await waitFor('no runtime process left', () => processesNaming(home).length === 0, 30_000).catch(() => undefined);
    fs.rmSync(plugin(), { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('MFDATA: Show Flow Graph lists the switch\'s routes with their counts and the failing branch as an error edge', async () => {
    for (const name of ['good-1.txt', 'good-2.txt', 'bad-1.txt']) {
      fs.writeFileSync(path.join(dir, name), `${name}\n`);
      const r = await vscode.commands.executeCommand<CommandResult>('mfdata.injectFile', vscode.Uri.file(path.join(dir, name)), { plugin: 'flowdemo', step: 'main' });
      assert.equal(r.ok, true, r.ok ? '' : r.error);
    }
    const shown = await vscode.commands.executeCommand<CommandResult<FlowLayout>>('mfdata.showFlow');
    assert.equal(shown.ok, true, shown.ok ? '' : shown.error);
    await waitFor('the flow webview to load', () => api.flow.flow.webviewStats.ready > 0);
    // The runtime marks an edge a failure policy took (traceerr@<day>): the view draws it as an error edge.
    const expected = {
      '<step.flowdemo.main -> flowdemo/main': 'route 3',
      'flowdemo/main -> flowdemo/store': 'route 2',
      'flowdemo/main -> flowdemo/check': 'route 1',
      'flowdemo/check -> >trash/keep': 'error 1',
    };
    const layout = await waitFor('the flow view to count every file on its edges', async () => {
      const l = await api.flow.flow.refresh();
      const got = edgeCounts(l);
      return Object.entries(expected).every(([k, v]) => got[k] === v) ? l : undefined;
    }, 90_000).catch((err: Error) => {
      throw new Error(`${err.message}; the view shows ${JSON.stringify(edgeCounts(api.flow.flow.lastLayout))}`);
    });
    const ids = layout!.nodes.map((n) => n.id);
    for (const id of ['flowdemo/main', 'flowdemo/store', 'flowdemo/check', '>trash/keep', '<step.flowdemo.main']) assert.ok(ids.includes(id), `node ${id} is drawn (${ids.join(', ')})`);
    const check = layout!.nodes.find((n) => n.id === 'flowdemo/check')!;
    assert.equal(check.kind, 'step');
    // Every edge is drawn between its two boxes, left to right.
    for (const e of layout!.edges) {
      const from = layout!.nodes.find((n) => n.id === e.from)!;
      const to = layout!.nodes.find((n) => n.id === e.to)!;
      assert.ok(from.x < to.x, `${e.id} goes left to right`);
    }
    await screenshot('flow-view');
  });

  it('a live update that adds traffic keeps the boxes where they were', async () => {
    const before = api.flow.flow.lastLayout!;
    fs.writeFileSync(path.join(dir, 'good-3.txt'), 'three\n');
    const r = await vscode.commands.executeCommand<CommandResult>('mfdata.injectFile', vscode.Uri.file(path.join(dir, 'good-3.txt')), { plugin: 'flowdemo', step: 'main' });
    assert.equal(r.ok, true, r.ok ? '' : r.error);
    const after = await waitFor('the new file counted', async () => {
      const l = await api.flow.flow.refresh();
      return edgeCounts(l)['flowdemo/main -> flowdemo/store'] === 'route 3' ? l : undefined;
    }, 60_000);
    assert.equal(after!.shape, before.shape);
    assert.deepEqual(after!.nodes.map((n) => [n.id, n.x, n.y]), before.nodes.map((n) => [n.id, n.x, n.y]));
  });

  it('the Plugins view lists the failed file under its step\'s "Trash (1)" with its tags', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.mfdata');
    const trash = await waitFor('flowdemo/check to show its trash', async () => {
      await vscode.commands.executeCommand('mfdata.refreshViews');
      const check = (await api.views.plugins.getChildren()).find((p) => p.label === 'flowdemo')?.children?.find((c) => c.label === 'check');
      return check?.children?.find((c) => c.kind === 'trash');
    });
    assert.equal(trash.label, 'Trash (1)');
    const file = trash.children![0];
    assert.equal(file.label, 'bad-1.txt');
    assert.equal(file.file, path.join(home, 'var/in/trash/flowdemo.check/bad-1.txt'));
    assert.match(file.tooltip ?? '', /first\.core\.original_basename = bad-1\.txt/);
    assert.ok(file.children?.some((t) => t.label.endsWith('flowdemo.main.routed_to') && t.description === 'check'), 'the tag main set is listed');
  });

  it('Replay into Step… moves the trashed file into flowdemo/store, which processes it; the trash entry is gone', async () => {
    const check = (await api.views.plugins.getChildren()).find((p) => p.label === 'flowdemo')?.children?.find((c) => c.label === 'check');
    const file = check!.children!.find((c) => c.kind === 'trash')!.children![0];
    const out = path.join(home, 'var/out/flowdemo/bad-1.txt');
    assert.equal(fs.existsSync(out), false, 'not stored before the replay');
    const r = await vscode.commands.executeCommand<CommandResult<string>>('mfdata.trash.replay', file, { plugin: 'flowdemo', step: 'store' });
    assert.equal(r.ok, true, r.ok ? '' : r.error);
    await waitFor(`${out} written by flowdemo/store`, () => fs.existsSync(out), 60_000);
    assert.equal(fs.readFileSync(out, 'utf8'), 'bad-1.txt\n');
    assert.equal(fs.existsSync(file.file!), false, 'the file left the trash');
    assert.equal(fs.existsSync(`${file.file!}.tags`), false, 'its .tags too');
    await waitFor('the trash node gone from the Plugins view', async () => {
      await vscode.commands.executeCommand('mfdata.refreshViews');
      const step = (await api.views.plugins.getChildren()).find((p) => p.label === 'flowdemo')?.children?.find((c) => c.label === 'check');
      return step !== undefined && !step.children?.some((c) => c.kind === 'trash');
    });
  });

  it('MFDATA: Show Journey by name shows main, check (failed), the replay and store, ending done', async () => {
    const views = await waitFor('the journey of bad-1.txt to end done', async () => {
      const r = await vscode.commands.executeCommand<CommandResult<JourneyView[]>>('mfdata.showJourney', 'bad-1.txt');
      assert.equal(r.ok, true, r.ok ? '' : r.error);
      const v = r.ok ? r.value ?? [] : [];
      return v.length === 1 && v[0].finalOutcome === 'done' ? v : undefined;
    }, 60_000);
    assert.equal(api.flow.journey.lastQuery, 'bad-1.txt');
    const rows = views[0].rows;
    assert.deepEqual(rows.filter((row) => !row.replay).map((row) => `${row.plugin}/${row.step}`), ['flowdemo/main', 'flowdemo/check', 'flowdemo/store']);
    assert.equal(rows.find((row) => row.step === 'check')?.failed, true, 'the visit of check failed');
    assert.ok(rows.some((row) => row.replay), 'the replay is on the journey');
    assert.ok(rows.find((row) => row.step === 'main')?.tags.some(([k, v]) => k.includes('routed_to') && v === 'check'), 'main\'s tag is shown');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await new Promise((r) => setTimeout(r, 3000)); // the webview's frame loads its page
    await screenshot('journey-view');
    await vscode.commands.executeCommand('workbench.view.extension.mfdata');
  });

  it('Delete from Trash (confirmed) removes a trashed file and its .tags; the tree follows', async () => {
    fs.writeFileSync(path.join(dir, 'bad-2.txt'), 'two\n');
    const r = await vscode.commands.executeCommand<CommandResult>('mfdata.injectFile', vscode.Uri.file(path.join(dir, 'bad-2.txt')), { plugin: 'flowdemo', step: 'main' });
    assert.equal(r.ok, true, r.ok ? '' : r.error);
    const trashed = path.join(home, 'var/in/trash/flowdemo.check/bad-2.txt');
    const file = await waitFor('bad-2.txt listed in flowdemo/check\'s trash', async () => {
      await vscode.commands.executeCommand('mfdata.refreshViews');
      const check = (await api.views.plugins.getChildren()).find((p) => p.label === 'flowdemo')?.children?.find((c) => c.label === 'check');
      // The failure policy writes the .tags file just after the move: wait for both.
      if (!fs.existsSync(`${trashed}.tags`)) return undefined;
      return check?.children?.find((c) => c.kind === 'trash')?.children?.find((f) => f.label === 'bad-2.txt');
    });
    const d = await vscode.commands.executeCommand<CommandResult<string>>('mfdata.trash.delete', file, { confirmed: true });
    assert.deepEqual(d, { ok: true, value: trashed });
    assert.equal(fs.existsSync(trashed), false);
    assert.equal(fs.existsSync(`${trashed}.tags`), false);
    await waitFor('no trash node left under flowdemo/check', async () => {
      const check = (await api.views.plugins.getChildren()).find((p) => p.label === 'flowdemo')?.children?.find((c) => c.label === 'check');
      return check !== undefined && !(check.children?.some((c) => c.kind === 'trash') ?? false);
    });
  });

  it('a step node revealed from the flow view is selected in the Plugins view', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.mfdata');
    const revealed = await vscode.commands.executeCommand<CommandResult>('mfdata.flow.revealStep', 'flowdemo', 'check');
    assert.equal(revealed.ok, true, revealed.ok ? '' : revealed.error);
    const selected = await waitFor('the step selected', () => api.views.pluginsView.selection.find((n) => n.id === 'step:flowdemo.check'));
    assert.equal(selected.label, 'check');
  });
});
