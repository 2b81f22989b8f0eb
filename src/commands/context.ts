// What every command handler gets from the composition root, and the wrapper that reports failures.
import * as vscode from 'vscode';
import type { RuntimeLauncher, RuntimeLocation } from '../runtime/launcher';
import type { RuntimeController } from '../services/runtimeController';
import type { RuntimeMonitor } from '../services/runtimeMonitor';
import type { RuntimeWorkspace } from '../services/workspace';
import type { RefreshManager } from '../views/refreshManager';

export interface CommandContext {
  workspace: RuntimeWorkspace;
  launcher: RuntimeLauncher;
  monitor: RuntimeMonitor;
  controller: RuntimeController;
  refresh: RefreshManager;
  log: vscode.LogOutputChannel;
}

/** Where CLI commands run: this window's workspace and home; throws when no folder is open. */
export function location(ctx: CommandContext): RuntimeLocation {
  const home = ctx.workspace.home();
  if (!ctx.workspace.root || !home) throw new Error('MFDATA needs a folder open on the local file system.');
  return { workspace: ctx.workspace.root, home: home.root };
}

/** Result of every MFDATA command, so callers (and tests) see what happened without reading notifications. */
export type CommandResult<T = unknown> = { ok: true; value?: T } | { ok: false; error: string; cancelled?: boolean };

/**
 * Registers a command whose failures become an error notification and a log line instead of an
 * unhandled rejection; the handler's value is returned as { ok, value }.
 */
export function registerCommand<T>(ctx: CommandContext, id: string, handler: (...args: unknown[]) => Promise<T | undefined>): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]): Promise<CommandResult<T>> => {
    try {
      const value = await handler(...args);
      return { ok: true, value };
    } catch (err) {
      if (err instanceof CancelledError) return { ok: false, error: 'cancelled', cancelled: true };
      const message = err instanceof Error ? err.message : String(err);
      ctx.log.error(`${id}: ${message}`);
      void vscode.window.showErrorMessage(message);
      return { ok: false, error: message };
    }
  });
}

/** The user dismissed a prompt: the command ends quietly. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}
