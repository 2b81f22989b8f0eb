// Conversions between the language service's plain shapes and VS Code's classes.
import * as vscode from 'vscode';
import type { CompletionItem, DocumentSymbol, LanguageDiagnostic, Position, Range, TextDocumentLike } from './service/types';

export const DIAGNOSTIC_SOURCE = 'mfdata config check';

export function toPosition(p: Position): vscode.Position {
  return new vscode.Position(p.line, p.character);
}

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(toPosition(r.start), toPosition(r.end));
}

export function fromPosition(p: vscode.Position): Position {
  return { line: p.line, character: p.character };
}

export function fromRange(r: vscode.Range): Range {
  return { start: fromPosition(r.start), end: fromPosition(r.end) };
}

/** The path the service classifies: the file path (also for the read-only view of a generated file). */
export function documentPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.path;
}

export function plainDocument(doc: vscode.TextDocument): TextDocumentLike {
  return { path: documentPath(doc.uri), text: doc.getText() };
}

const SEVERITY: Record<LanguageDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(d: LanguageDiagnostic): vscode.Diagnostic {
  const out = new vscode.Diagnostic(toRange(d.range), d.message, SEVERITY[d.severity]);
  out.source = DIAGNOSTIC_SOURCE;
  out.code = d.code;
  return out;
}

const COMPLETION_KIND: Record<CompletionItem['kind'], vscode.CompletionItemKind> = {
  section: vscode.CompletionItemKind.Module,
  key: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  enum: vscode.CompletionItemKind.EnumMember,
  folder: vscode.CompletionItemKind.Folder,
  file: vscode.CompletionItemKind.File,
  step: vscode.CompletionItemKind.Reference,
  queue: vscode.CompletionItemKind.Reference,
};

export function toCompletionItem(i: CompletionItem): vscode.CompletionItem {
  const out = new vscode.CompletionItem(i.label, COMPLETION_KIND[i.kind]);
  out.insertText = i.insertText;
  out.range = toRange(i.range);
  out.detail = i.detail;
  if (i.documentation) out.documentation = new vscode.MarkdownString(i.documentation);
  out.sortText = i.sortText;
  // Filter on the label even when the inserted text differs (`key = default`).
  out.filterText = i.label;
  return out;
}

export function toDocumentSymbol(s: DocumentSymbol): vscode.DocumentSymbol {
  const out = new vscode.DocumentSymbol(s.name, s.detail, s.kind === 'section' ? vscode.SymbolKind.Namespace : vscode.SymbolKind.Property, toRange(s.range), toRange(s.selectionRange));
  out.children = s.children.map(toDocumentSymbol);
  return out;
}
