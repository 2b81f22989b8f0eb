// The metrics panel: a webview (editor area) drawing each step's files/s, failed files and processing
// time over the last 15 minutes from the runtime's own figures, redrawn every few seconds while visible.
// Strict CSP: default-src 'none', our stylesheet, our script by nonce; the charts are SVG markup.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { StepRef, StepSeries } from './stepStats';
import { LiveTicker } from './liveTicker';
import { metricsModel, type MetricsViewModel } from './metricsModel';
import { renderMessage, type FromMetricsWebview, type RenderMessage } from './protocol';
import { webviewPage } from '../webview/page';

export const METRICS_VIEW_TYPE = 'mfdata.metrics';
/** The window the charts show and the width of one point: the runtime keeps 10 s buckets for ~16 minutes. */
export const METRICS_MINUTES = 15;
export const METRICS_BUCKET_SECONDS = 10;

/** Where the figures come from: the steps of the running runtime, and their series from its Redis. */
export interface MetricsSource {
  /** The runtime's steps, or undefined when no runtime answers. */
  steps(): StepRef[] | undefined;
  series(steps: StepRef[], now: number): Promise<StepSeries[]>;
}

export function metricsHtml(webview: Pick<vscode.Webview, 'cspSource' | 'asWebviewUri'>, mediaRoot: vscode.Uri, nonce: string): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'panel.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'panel.css'));
  return webviewPage({
    cspSource: webview.cspSource,
    styleUri: style.toString(),
    title: 'MFDATA Metrics',
    script: { uri: script.toString(), nonce },
    body: `<header class="toolbar">
  <h1>MFDATA metrics, last ${METRICS_MINUTES} minutes</h1>
  <label>Step <select id="focus" title="Show one step, or every step"><option value="">all steps</option></select></label>
  <span id="updated" class="updated" aria-live="off"></span>
</header>
<p id="notice" class="notice" role="status" hidden></p>
<ul id="legend" class="legend" aria-label="Steps"></ul>
<div id="charts" class="charts"></div>
<section class="summary"><h2>Summary</h2><ul id="summary"></ul></section>`,
  });
}

export class MetricsPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private focus = '';
  private readonly ticker: LiveTicker;
  private panelDisposables: vscode.Disposable[] = [];
  /** What the panel drew last, and what its webview did (the in-host tests read them). */
  lastModel?: MetricsViewModel;
  lastMessage?: RenderMessage;
  readonly webviewStats = { ready: 0, posted: 0, rendered: 0, chartsDrawn: 0 };

  constructor(
    private readonly mediaRoot: vscode.Uri,
    private readonly source: MetricsSource,
    intervalSeconds: () => number,
  ) {
    this.ticker = new LiveTicker(() => this.update(), () => intervalSeconds() * 1000);
  }

  /** The panel is open and redrawing on a timer (it stops when hidden or closed). */
  get live(): boolean {
    return this.ticker.live;
  }

  /** The refresh interval setting changed: an open panel redraws on the new interval. */
  intervalChanged(): void {
    this.ticker.intervalChanged();
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens the panel or brings it forward; `focus` (`<plugin>.<step>`) shows that step alone, '' every step. */
  async show(focus?: string): Promise<void> {
    if (focus !== undefined) this.focus = focus;
    if (this.panel) {
      this.panel.reveal(undefined, false);
    } else {
      const panel = vscode.window.createWebviewPanel(METRICS_VIEW_TYPE, 'MFDATA Metrics', vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [this.mediaRoot],
      });
      panel.iconPath = vscode.Uri.joinPath(this.mediaRoot, '..', 'mfdata.svg');
      panel.webview.html = metricsHtml(panel.webview, this.mediaRoot, randomBytes(16).toString('base64'));
      this.panel = panel;
      this.panelDisposables = [
        panel.webview.onDidReceiveMessage((m: FromMetricsWebview) => this.onMessage(m)),
        panel.onDidChangeViewState(() => this.ticker.setVisible(panel.visible)),
        panel.onDidDispose(() => this.closed()),
      ];
      this.ticker.setVisible(true);
    }
    await this.ticker.tick();
  }

  /** Reads the figures and redraws now (tests; the timer does it otherwise). */
  refreshNow(): Promise<void> {
    return this.ticker.tick();
  }

  dispose(): void {
    this.panel?.dispose();
    this.closed();
    this.ticker.dispose();
  }

  private closed(): void {
    this.ticker.setVisible(false);
    for (const d of this.panelDisposables) d.dispose();
    this.panelDisposables = [];
    this.panel = undefined;
  }

  private onMessage(m: FromMetricsWebview): void {
    if (m.type === 'ready') {
      this.webviewStats.ready++;
      if (this.lastMessage) this.post(this.lastMessage);
    } else if (m.type === 'rendered') {
      this.webviewStats.rendered++;
      this.webviewStats.chartsDrawn = m.charts;
    } else if (m.type === 'focus') {
      this.focus = m.step;
      void this.ticker.tick();
    }
  }

  private async update(): Promise<void> {
    const now = Date.now();
    const steps = this.source.steps();
    let series: StepSeries[] = [];
    let notice = '';
    if (!steps) {
      notice = 'The MFDATA runtime is not running: start it to see its figures.';
    } else {
      try {
        series = await this.source.series(steps, now);
      } catch (err) {
        notice = `Could not read the step figures: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    const model = metricsModel(series, { now, minutes: METRICS_MINUTES, bucketSeconds: METRICS_BUCKET_SECONDS, focus: this.focus || undefined });
    this.lastModel = model;
    this.lastMessage = renderMessage(model, notice);
    this.post(this.lastMessage);
  }

  private post(message: RenderMessage): void {
    if (!this.panel?.visible) return;
    this.webviewStats.posted++;
    void this.panel.webview.postMessage(message);
  }
}
