// Helpers of the in-host suites: the extension's API, polling for a condition, the workspace paths.
import * as vscode from 'vscode';
import type { MfdataApi } from '../../src/extension';

export const EXTENSION_ID = 'mfdata.mfdata-vscode';

export async function activeApi(): Promise<MfdataApi> {
  const ext = vscode.extensions.getExtension<MfdataApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this host`);
  return ext.activate();
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the host was not opened on a folder');
  return folder.uri.fsPath;
}

/** Polls `probe` until it returns a value other than undefined/false; fails with `what` after timeoutMs. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Asks the UI runner (run-in-host.mjs) for a screenshot of the workbench. */
export function screenshot(name: string): Promise<void> {
  console.log(`MFDATA_SCREENSHOT ${name}`);
  return new Promise((r) => setTimeout(r, 1500));
}
