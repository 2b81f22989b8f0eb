// Composition root of the extension: builds the services and hands them to views and commands.
import * as vscode from 'vscode';
import { RUNTIME_VERSION } from '../runtime/version';

export function activate(context: vscode.ExtensionContext): { version: string } {
  context.subscriptions.push(
    vscode.commands.registerCommand('mfdata.showVersion', () => {
      void vscode.window.showInformationMessage(`MFDATA for VS Code ${RUNTIME_VERSION}`);
      return RUNTIME_VERSION;
    }),
  );
  return { version: RUNTIME_VERSION };
}

export function deactivate(): void {
  // Services register their disposables on the context; nothing else to do.
}
