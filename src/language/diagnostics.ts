// Keeps the Problems of open MFDATA configuration files current: on open, as you type (debounced) and on save.
import * as vscode from 'vscode';
import { plainDocument, toDiagnostic } from './convert';
import type { ConfigLanguageService } from './service/service';

export const LANGUAGE_IDS = ['mfdata-observer-ini', 'mfdata-config-ini'] as const;

export function isConfigDocument(doc: vscode.TextDocument): boolean {
  return (LANGUAGE_IDS as readonly string[]).includes(doc.languageId);
}

export class DiagnosticsController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mfdata');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly service: () => ConfigLanguageService,
    private readonly delayMs: () => number,
    /** A document whose Problems another copy shows (a generated file's `file:` copy): its diagnostics are cleared. */
    private readonly shownElsewhere: (doc: vscode.TextDocument) => boolean = () => false,
  ) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidSaveTextDocument((d) => this.check(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cancel(d);
        this.collection.delete(d.uri);
        this.service().forget(plainDocument(d).path);
      }),
    );
    this.checkAll();
  }

  /** Re-checks every open configuration document (the plugins on disk changed, or the home). */
  checkAll(): void {
    for (const d of vscode.workspace.textDocuments) this.check(d);
  }

  check(doc: vscode.TextDocument): void {
    this.cancel(doc);
    if (!isConfigDocument(doc)) return;
    if (this.shownElsewhere(doc)) {
      this.collection.delete(doc.uri);
      return;
    }
    this.collection.set(doc.uri, this.service().diagnostics(plainDocument(doc)).map(toDiagnostic));
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isConfigDocument(doc)) return;
    this.cancel(doc);
    const key = doc.uri.toString();
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (!doc.isClosed) this.check(doc);
    }, this.delayMs()));
  }

  private cancel(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
