// In-host, with the REAL runtime (bundled supervisor, redis-server, workers): files go through the
// example plugin normalize, copied in as `metered` (its own counters: the runtime suite's normalize
// figures start from zero after this suite); the Plugins view then shows a nonzero rate for its step, and the metrics
// panel (MFDATA: Show Metrics on that step) holds its series with exactly the files processed and
// failed, drawn as three SVG charts in the webview; hidden or closed, the panel stops refreshing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import type { MfdataApi } from '../../src/extension';
import type { CommandResult } from '../../src/commands/context';
import type { NodeModel } from '../../src/views/model';
import { activeApi, EXTENSION_ID, processesNaming, screenshot, waitFor, workspaceRoot } from './helpers';

describe('metrics: step rates in the Plugins view and the metrics panel', function () {
  this.timeout(180_000);
  let api: MfdataApi;
  let home: string;
  let tmp: string;
  const pluginDir = (): string => path.join(workspaceRoot(), 'plugins/metered');

  before(async () => {
    api = await activeApi();
    home = path.join(workspaceRoot(), '.mfdata');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-metrics-'));
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    fs.cpSync(path.join(ext.extensionPath, 'examples/plugins/normalize'), pluginDir(), { recursive: true });
  });

  after(async () => {
    api.metrics.panel.dispose();
    if (api.monitor.status) await vscode.commands.executeCommand('mfdata.stop');
    await waitFor('no process naming the home', () => processesNaming(home).length === 0, 30_000).catch(() => undefined);
    fs.rmSync(pluginDir(), { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function stepNode(plugin: string, step: string): Promise<NodeModel | undefined> {
    await vscode.commands.executeCommand('mfdata.refreshViews');
    return (await api.views.plugins.getChildren()).find((p) => p.label === plugin)?.children?.find((c) => c.label === step);
  }

  it('starts the runtime on the workspace with metered (normalize)', async () => {
    const result = await vscode.commands.executeCommand<CommandResult>('mfdata.start');
    assert.equal(result.ok, true, result.ok ? '' : result.error);
    await waitFor('every watcher running', async () => {
      const s = await api.monitor.client.refresh();
      return s?.watchers.some((w) => w.name === 'step.metered.main') && s.watchers.every((w) => w.state === 'running' && w.processes.length === w.numprocesses);
    });
  });

  it('after files are processed, the step shows a nonzero rate and its errors of the last minute', async () => {
    // metered/main (normalize's main): three text files go on to archive; a file with a NUL byte fails (policy keep).
    const files = ['m1.txt', 'm2.txt', 'm3.txt', 'bad.bin'].map((name) => {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, name.endsWith('.bin') ? Buffer.from([0x61, 0x00]) : `line ${name}  \r\n`);
      return file;
    });
    for (const file of files) {
      const r = await vscode.commands.executeCommand<CommandResult>('mfdata.injectFile', vscode.Uri.file(file), { plugin: 'metered', step: 'main' });
      assert.equal(r.ok, true, r.ok ? '' : r.error);
    }
    const main = await waitFor('metered/main to show 4 processed, 1 failed and its rate', async () => {
      const node = await stepNode('metered', 'main');
      // Description and tooltip come from the stats recorder's flushes (once a second): wait for the since-start
      // figures too, so they are not read from an earlier flush.
      const description = node?.description ?? '';
      return /(^|· )4 processed · 1 failed · /.test(description) && description.includes('· 1 error (1 min)')
        && /^since start: 4 processed, 1 failed, /m.test(node?.tooltip ?? '') ? node : undefined;
    });
    const rate = /· ([\d.<]+) files\/s ·/.exec(main.description ?? '')?.[1];
    assert.ok(rate !== undefined && rate !== '0', `a nonzero rate for the last minute: ${main.description}`);
    assert.match(main.tooltip ?? '', /^since start: 4 processed, 1 failed, /m);
    assert.match(main.tooltip ?? '', /^queue length: 0$/m);
  });

  it('MFDATA: Show Metrics on the step draws its series: the files processed and failed, per bucket', async () => {
    const main = await stepNode('metered', 'main');
    const result = await vscode.commands.executeCommand<CommandResult<string>>('mfdata.showMetrics', main);
    assert.deepEqual(result, { ok: true, value: 'metered.main' });
    const panel = api.metrics.panel;
    const model = await waitFor('the series of metered to hold every file', async () => {
      await panel.refreshNow();
      const m = panel.lastModel;
      const sum = (key: string, field: 'processed' | 'failed'): number =>
        m?.series.find((s) => `${s.plugin}.${s.step}` === key)?.points.reduce((n, p) => n + p[field], 0) ?? -1;
      return m && sum('metered.main', 'processed') === 4 && sum('metered.main', 'failed') === 1 && sum('metered.archive', 'processed') === 3 ? m : undefined;
    });
    assert.equal(model.focus, 'metered.main');
    assert.equal(model.series.find((s) => s.step === 'main')?.points.length, 90, '15 minutes of 10 s buckets');
    const shown = model.steps.filter((s) => s.shown);
    assert.deepEqual(shown.map((s) => [s.key, s.processed, s.failed]), [['metered.main', 4, 1]]);
    for (const chart of model.charts) assert.ok(chart.geometry.lines.every((l) => l.key.startsWith('metered.main')), chart.id);
    assert.ok(model.charts.find((c) => c.id === 'throughput')!.geometry.lines[0].path.length > 0, 'a files/s line is drawn');
    assert.match(model.summary[0], /^metered\/main: 4 processed and 1 failed in the last 15 minutes;/);
    await waitFor('the webview to draw the three charts', () => panel.webviewStats.rendered > 0 && panel.webviewStats.chartsDrawn === 3);
    assert.equal(panel.live, true, 'refreshing while visible');
    await screenshot('metrics-panel');
  });

  it('hidden behind an editor the panel stops refreshing, shown again it resumes, closed it is gone', async () => {
    const panel = api.metrics.panel;
    const doc = await vscode.workspace.openTextDocument({ content: 'cover', language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Active, preview: false });
    await waitFor('the panel to stop its timer once hidden', () => !panel.live, 20_000);
    const posted = panel.webviewStats.posted;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(panel.webviewStats.posted, posted, 'nothing is posted to a hidden panel');
    await vscode.commands.executeCommand('mfdata.showMetrics');
    await waitFor('the panel to refresh again once shown', () => panel.live, 20_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the panel to be closed', () => !panel.isOpen && !panel.live, 20_000);
  });

  it('MFDATA: Stop Runtime leaves no process behind', async () => {
    const result = await vscode.commands.executeCommand<CommandResult>('mfdata.stop');
    assert.equal(result.ok, true, result.ok ? '' : result.error);
    await waitFor('no process naming the home', () => processesNaming(home).length === 0, 30_000);
  });
});
