// The flow view: a webview panel drawing the runtime's flow graph (media/flow/flow.js draws the SVG the host lays
// out). While it is visible it re-reads the traces every few seconds; counts change in place, and the drawing is
// only laid out again when a node or an edge appears or goes. Node click → the step in the Plugins view; edge
// click → the recent files that took it, each with "Show Journey".
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { FlowNode } from './contract';
import type { FlowSource } from './flowSource';
import { layoutFlow, type FlowLayout } from './layout';
import type { FlowFromWebview, FlowToWebview } from './protocol';
import { webviewPage } from '../webview/page';

export interface FlowPanelActions {
  revealStep(plugin: string, step: string): Promise<void>;
  showJourney(query: string): Promise<void>;
  /** `12 processed · 1 failed · queue 3` for a step node, from the views' latest snapshot. */
  figures(node: FlowNode): string | undefined;
  /** Re-reads what figures() reports, before each redraw. */
  reloadFigures(): Promise<unknown>;
}

export class FlowPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<FlowLayout | undefined> | undefined;
  /** What the view draws now (the in-host tests read it: the testable model of the picture). */
  lastLayout: FlowLayout | undefined;
  /** Messages the webview sent, by type (tests check it loaded and answered clicks). */
  readonly webviewStats = { ready: 0, node: 0, edge: 0, journey: 0 };

  constructor(
    private readonly mediaRoot: vscode.Uri,
    private readonly source: FlowSource,
    private readonly actions: FlowPanelActions,
    private readonly intervalMs: () => number,
  ) {}

  get visible(): boolean {
    return this.panel?.visible === true;
  }

  /** Opens the view (or brings it to the front) and draws the graph. */
  async show(): Promise<FlowLayout | undefined> {
    if (this.panel) this.panel.reveal(undefined, true);
    else this.create();
    return this.refresh();
  }

  /** Reads the traces and updates the drawing; concurrent callers share one read. */
  refresh(): Promise<FlowLayout | undefined> {
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  dispose(): void {
    this.stopPolling();
    this.panel?.dispose();
  }

  private create(): void {
    const panel = vscode.window.createWebviewPanel('mfdata.flow', 'MFDATA Flow', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
      enableScripts: true,
      localResourceRoots: [this.mediaRoot],
      retainContextWhenHidden: false,
    });
    const nonce = randomBytes(16).toString('base64');
    panel.webview.html = webviewPage({
      cspSource: panel.webview.cspSource,
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'flow.css')).toString(),
      title: 'MFDATA Flow',
      body: `<div class="toolbar"><span id="status" class="status" role="status"></span><span class="legend"><span class="key route">route</span><span class="key error">error (dashed)</span><span class="key virtual">configured, unused</span></span></div>
<div id="canvas" class="canvas" tabindex="0"></div>
<aside id="files" class="files" hidden></aside>`,
      script: { uri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'flow.js')).toString(), nonce },
    });
    panel.iconPath = vscode.Uri.joinPath(this.mediaRoot, '..', 'mfdata.svg');
    panel.webview.onDidReceiveMessage((m: FlowFromWebview) => void this.onMessage(m));
    panel.onDidChangeViewState(() => (panel.visible ? this.startPolling() : this.stopPolling()));
    panel.onDidDispose(() => {
      this.stopPolling();
      this.panel = undefined;
    });
    this.panel = panel;
    this.startPolling();
  }

  private async load(): Promise<FlowLayout | undefined> {
    try {
      const [graph] = await Promise.all([this.source.flow(), this.actions.reloadFigures().catch(() => undefined)]);
      const previous = this.lastLayout;
      const layout = layoutFlow(graph, { previous, figures: (n) => this.actions.figures(n) });
      this.lastLayout = layout;
      const status = `${layout.nodes.length} nodes · ${layout.edges.length} edges · traces ${graph.since.slice(0, 10)}${graph.until.slice(0, 10) !== graph.since.slice(0, 10) ? ` to ${graph.until.slice(0, 10)}` : ''} · updated ${new Date().toLocaleTimeString()}`;
      this.post({ type: 'layout', layout, relaid: previous?.shape !== layout.shape, status });
      return layout;
    } catch (err) {
      this.post({ type: 'status', status: `Cannot read the flow: ${err instanceof Error ? err.message : String(err)} (is the runtime running?)`, error: true });
      return undefined;
    }
  }

  private async onMessage(m: FlowFromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.webviewStats.ready++;
        if (this.lastLayout) this.post({ type: 'layout', layout: this.lastLayout, relaid: true, status: '' });
        void this.refresh();
        return;
      case 'node': {
        this.webviewStats.node++;
        const node = this.lastLayout?.nodes.find((n) => n.id === m.id);
        if (node?.kind === 'step' && node.plugin && node.step) await this.actions.revealStep(node.plugin, node.step);
        return;
      }
      case 'edge': {
        this.webviewStats.edge++;
        const edge = this.lastLayout?.edges.find((e) => e.id === m.id);
        if (!edge) return;
        try {
          this.post({ type: 'edgeFiles', edge: edge.id, files: await this.source.edgeFiles(edge.from, edge.to) });
        } catch (err) {
          this.post({ type: 'edgeFiles', edge: edge.id, files: [], error: err instanceof Error ? err.message : String(err) });
        }
        return;
      }
      case 'journey':
        this.webviewStats.journey++;
        return this.actions.showJourney(m.uid);
    }
  }

  private startPolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh(), Math.max(1000, this.intervalMs()));
  }

  private stopPolling(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private post(message: FlowToWebview): void {
    if (this.panel?.visible) void this.panel.webview.postMessage(message);
  }
}
