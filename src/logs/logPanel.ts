// The log panel: a webview view in the panel area showing the LogStore through a virtual list (media/logs/panel.js).
// Strict CSP: nothing but our own script (with a nonce) and stylesheet; no remote resource.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LogEntry } from '../../runtime/log/entry';
import { LogFilterError } from '../../runtime/log/filter';
import { EMPTY_FILTER, LogStore } from './logStore';
import type { FromWebview, PanelFilter, PanelState, ToWebview } from './protocol';
import { webviewPage } from '../webview/page';

export const LOG_VIEW_ID = 'mfdata.views.logs';

export interface LogPanelActions {
  /** Opens the plugin's config.ini, at the step's section when there is one. */
  openConfig(plugin: string, step: string | undefined): Promise<void>;
  /** Opens `file[:line]` (an exception_file). */
  openFile(spec: string): Promise<void>;
  /** Shows the journey of the file a record is about (its uid or original name). */
  showJourney(query: string): Promise<void>;
}

/** Builds the webview's HTML: a CSP that allows only our script (by nonce) and our stylesheet. */
export function panelHtml(webview: Pick<vscode.Webview, 'cspSource' | 'asWebviewUri'>, mediaRoot: vscode.Uri, nonce: string): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'panel.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'panel.css'));
  return webviewPage({
    cspSource: webview.cspSource,
    styleUri: style.toString(),
    title: 'MFDATA Logs',
    script: { uri: script.toString(), nonce },
    body: `<div class="toolbar" role="toolbar">
  <select id="level" title="Minimum level"><option value="">all levels</option><option value="debug">debug+</option><option value="info">info+</option><option value="warning">warning+</option><option value="error">error+</option><option value="critical">critical</option></select>
  <select id="plugin" title="Plugin"><option value="">all plugins</option></select>
  <select id="step" title="Step"><option value="">all steps</option></select>
  <input id="text" type="search" placeholder="Filter text" title="Free text (message, logger, context, traceback)">
  <label title="Treat the text as a regular expression"><input id="regex" type="checkbox"> .*</label>
  <label title="Keep the newest record in view"><input id="follow" type="checkbox" checked> follow</label>
  <button id="pause" title="Stop showing new records until resumed">Pause</button>
  <button id="clear" title="Forget the records shown so far">Clear</button>
  <span id="count" class="count"></span>
  <span id="error" class="error" role="alert"></span>
</div>
<div class="header"><span class="c-time">time (UTC)</span><span class="c-level">level</span><span class="c-origin">plugin/step</span><span class="c-msg">message</span></div>
<div id="viewport" class="viewport" tabindex="0"><div id="spacer" class="spacer"></div></div>
<div id="details" class="details" hidden></div>`,
  });
}

export class LogPanel implements vscode.WebviewViewProvider, vscode.Disposable {
  readonly store = new LogStore();
  private view: vscode.WebviewView | undefined;
  private paused = false;
  private pendingState: NodeJS.Timeout | undefined;
  private lastError: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Last state posted, and what the webview asked for (the in-host tests read them). */
  lastPosted: PanelState | undefined;
  readonly webviewStats = { ready: 0, rowRequests: 0 };

  constructor(private readonly mediaRoot: vscode.Uri, private readonly actions: LogPanelActions) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [this.mediaRoot] };
    view.webview.html = panelHtml(view.webview, this.mediaRoot, randomBytes(16).toString('base64'));
    this.disposables.push(
      view.webview.onDidReceiveMessage((m: FromWebview) => void this.onMessage(m)),
      view.onDidDispose(() => (this.view = undefined)),
      view.onDidChangeVisibility(() => view.visible && this.postState()),
    );
  }

  /** New entries from the source. While paused they are kept, and shown on resume. */
  append(entries: LogEntry[]): void {
    if (entries.length === 0) return;
    this.store.append(entries);
    if (!this.paused) this.scheduleState();
  }

  /** Forgets every record (the home changed: they came from another runtime). */
  clear(): void {
    this.store.clear();
    this.postState();
  }

  /** Sets the filter (from "Show logs" on a tree item, or the toolbar). */
  setFilter(filter: Partial<PanelFilter>): void {
    try {
      this.store.setFilter({ ...EMPTY_FILTER, ...filter });
      this.lastError = undefined;
    } catch (err) {
      if (!(err instanceof LogFilterError)) throw err;
      this.lastError = err.message;
    }
    this.postState();
  }

  dispose(): void {
    if (this.pendingState) clearTimeout(this.pendingState);
    for (const d of this.disposables) d.dispose();
  }

  private async onMessage(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.webviewStats.ready++;
        return this.postState();
      case 'filter':
        return this.setFilter(m.filter);
      case 'rows':
        this.webviewStats.rowRequests++;
        return this.post({ type: 'rows', generation: this.store.generation, start: m.start, rows: this.store.rows(m.start, Math.min(m.count, 500)) });
      case 'pause':
        this.paused = m.paused;
        return this.postState();
      case 'clear':
        this.store.clear();
        return this.postState();
      case 'openConfig': {
        const entry = this.store.bySeq(m.seq);
        if (entry?.plugin) await this.actions.openConfig(entry.plugin, entry.step);
        return;
      }
      case 'openFile':
        return this.actions.openFile(m.file);
      case 'showJourney':
        return this.actions.showJourney(m.query);
    }
  }

  /** Coalesces bursts of appends into at most one state message per 100 ms. */
  private scheduleState(): void {
    if (this.pendingState) return;
    this.pendingState = setTimeout(() => {
      this.pendingState = undefined;
      this.postState();
    }, 100);
  }

  private postState(): void {
    const state: PanelState = {
      type: 'state',
      total: this.store.total,
      held: this.store.held,
      generation: this.store.generation,
      filter: this.store.filter,
      paused: this.paused,
      ...this.store.facets(),
      ...(this.lastError ? { error: this.lastError } : {}),
    };
    this.lastPosted = state;
    this.post(state);
  }

  private post(message: ToWebview): void {
    if (this.view?.visible) void this.view.webview.postMessage(message);
  }
}
