// Thin VS Code providers over the configuration language service: completion, hover, quick fixes, outline,
// go-to-definition and folding. Each one converts positions, calls the service and converts back.
import * as vscode from 'vscode';
import { fromPosition, fromRange, plainDocument, toCompletionItem, toDocumentSymbol, toRange } from './convert';
import { LANGUAGE_IDS } from './diagnostics';
import type { ConfigLanguageService } from './service/service';

export const CREATE_DIRECTORY_COMMAND = 'mfdata.language.createDirectory';

const SELECTOR: vscode.DocumentSelector = LANGUAGE_IDS.map((language) => ({ language }));

export function registerProviders(service: () => ConfigLanguageService): vscode.Disposable[] {
  return [
    vscode.languages.registerCompletionItemProvider(SELECTOR, {
      provideCompletionItems(doc, position) {
        return service().completion(plainDocument(doc), fromPosition(position)).map(toCompletionItem);
      },
    }, '[', '=', ',', '/', ' ', ':'),
    vscode.languages.registerHoverProvider(SELECTOR, {
      async provideHover(doc, position) {
        const h = await service().hover(plainDocument(doc), fromPosition(position));
        return h ? new vscode.Hover(new vscode.MarkdownString(h.contents), toRange(h.range)) : undefined;
      },
    }),
    vscode.languages.registerCodeActionsProvider(SELECTOR, {
      provideCodeActions(doc, range) {
        return service().codeActions(plainDocument(doc), fromRange(range)).map((a) => {
          const action = new vscode.CodeAction(a.title, vscode.CodeActionKind.QuickFix);
          action.isPreferred = a.isPreferred;
          const diagnostic = vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === a.diagnostic.code && d.range.isEqual(toRange(a.diagnostic.range)));
          if (diagnostic) action.diagnostics = [diagnostic];
          if (a.edits) {
            action.edit = new vscode.WorkspaceEdit();
            for (const e of a.edits) action.edit.replace(doc.uri, toRange(e.range), e.newText);
          }
          if (a.createDirectory) action.command = { command: CREATE_DIRECTORY_COMMAND, title: a.title, arguments: [a.createDirectory, doc.uri] };
          return action;
        });
      },
    }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, {
      provideDocumentSymbols(doc) {
        return service().symbols(plainDocument(doc)).map(toDocumentSymbol);
      },
    }),
    vscode.languages.registerDefinitionProvider(SELECTOR, {
      provideDefinition(doc, position) {
        const loc = service().definition(plainDocument(doc), fromPosition(position));
        return loc ? new vscode.Location(vscode.Uri.file(loc.path), toRange(loc.range)) : undefined;
      },
    }),
    vscode.languages.registerFoldingRangeProvider(SELECTOR, {
      provideFoldingRanges(doc) {
        return service().foldingRanges(plainDocument(doc)).map((r) => new vscode.FoldingRange(r.start, r.end, vscode.FoldingRangeKind.Region));
      },
    }),
  ];
}
