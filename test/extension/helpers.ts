// Helpers of the in-host suites: the extension's API, polling for a condition, the workspace paths.
import * as fs from 'node:fs';
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

/** A process exists while /proc/<pid> does and it is not a zombie (exited, only waiting to be reaped). */
export function isLive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Every live process (but this one) whose command line names `dir` (a runtime home): supervisor, redis-server, workers… */
export function processesNaming(dir: string): Array<{ pid: number; cmdline: string }> {
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue; // gone meanwhile
    }
    if (cmdline.includes(dir) && isLive(pid)) found.push({ pid, cmdline });
  }
  return found;
}
