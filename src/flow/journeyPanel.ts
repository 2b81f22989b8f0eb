// The journey view: one webview panel showing where a file went (steps, attempts, timings, tags, final place),
// looked up by uid or original name. Script-free HTML (src/flow/journeyHtml.ts) under a CSP allowing only our CSS.
import * as vscode from 'vscode';
import type { FlowSource } from './flowSource';
import { journeyHtml } from './journeyHtml';
import { journeyView, type JourneyView } from './journeyModel';
import { describeJourneyGaps } from '../../runtime/journey/memory-guard';

export class JourneyPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** The query and journeys shown last (the in-host tests read them). */
  lastQuery: string | undefined;
  lastViews: JourneyView[] = [];

  constructor(
    private readonly mediaRoot: vscode.Uri,
    private readonly source: FlowSource,
  ) {}

  /**
   * Shows the journeys of every file whose uid or original name is `query` (newest first). `queuedIn`: the query
   * comes from a message waiting in that queue (with no journey, the panel says it is not claimed yet).
   */
  async show(query: string, queuedIn?: string): Promise<JourneyView[]> {
    const journeys = await this.source.journeys(query);
    const views = journeys.map((j) => journeyView(j));
    // None: say when journeys were not recorded or were dropped (best effort: the message stands without it).
    const gaps = views.length > 0 || queuedIn !== undefined ? [] : describeJourneyGaps(await this.source.journeyGaps().catch(() => []));
    const panel = this.ensurePanel();
    panel.title = `Journey: ${views.length === 1 ? views[0].originalName : query}`;
    panel.webview.html = journeyHtml(views, query, {
      cspSource: panel.webview.cspSource,
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'journey.css')).toString(),
    }, gaps, queuedIn);
    panel.reveal(undefined, false);
    this.lastQuery = query;
    this.lastViews = views;
    return views;
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private ensurePanel(): vscode.WebviewPanel {
    if (this.panel) return this.panel;
    const panel = vscode.window.createWebviewPanel('mfdata.journey', 'MFDATA Journey', vscode.ViewColumn.Active, { enableScripts: false, localResourceRoots: [this.mediaRoot] });
    panel.iconPath = vscode.Uri.joinPath(this.mediaRoot, '..', 'mfdata.svg');
    panel.onDidDispose(() => (this.panel = undefined));
    this.panel = panel;
    return panel;
  }
}
