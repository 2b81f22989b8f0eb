// Palette commands about the runtime as a whole: start, stop, restart, show status, the status bar's
// quick pick, reveal the runtime home, open a generated config file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, registerCommand, type CommandContext } from './context';

export function registerRuntimeCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    registerCommand(ctx, 'mfdata.start', async () => {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MFDATA: starting the runtime' }, () => ctx.controller.start());
      ctx.log.info(`runtime running at ${ctx.workspace.home()?.root}`);
      void ctx.refresh.refreshNow();
      return ctx.monitor.status;
    }),
    registerCommand(ctx, 'mfdata.stop', async () => {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MFDATA: stopping the runtime' }, () => ctx.controller.stop());
      ctx.log.info('runtime stopped');
      void ctx.refresh.refreshNow();
      return true;
    }),
    registerCommand(ctx, 'mfdata.restart', async () => {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MFDATA: restarting the runtime' }, () => ctx.controller.restart());
      void ctx.refresh.refreshNow();
      return ctx.monitor.status;
    }),
    registerCommand(ctx, 'mfdata.showStatus', async () => {
      const status = (await ctx.monitor.client.refresh()) ?? ctx.monitor.status;
      if (!status) {
        void vscode.window.showInformationMessage(`MFDATA: the runtime is not running (${ctx.controller.state}).`);
        return undefined;
      }
      const failed = status.watchers.filter((w) => w.state === 'failed' || w.state === 'backoff');
      const running = status.watchers.filter((w) => w.state === 'running').length;
      ctx.log.info(`status: ${status.state}; ${status.watchers.map((w) => `${w.name}=${w.state}`).join(', ')}`);
      const summary = `MFDATA ${status.state}: ${running}/${status.watchers.length} watchers running${failed.length ? `; failed: ${failed.map((w) => w.name).join(', ')}` : ''} (home ${status.home}, supervisor pid ${status.pid})`;
      if (status.configError) {
        // The runtime runs its previous setup: the refused change must not go unseen.
        ctx.log.warn(`configuration error (the running setup was kept):\n${status.configError}`);
        void vscode.window.showWarningMessage(`${summary}. The last configuration change was refused (the running setup was kept): ${status.configError.split('\n')[0]}`);
      } else {
        void vscode.window.showInformationMessage(summary);
      }
      return status;
    }),
    registerCommand(ctx, 'mfdata.statusActions', async () => {
      const running = ctx.monitor.status !== undefined;
      const actions: Array<vscode.QuickPickItem & { command: string }> = running
        ? [
            { label: '$(info) Show Status', command: 'mfdata.showStatus' },
            { label: '$(debug-restart) Restart Runtime', command: 'mfdata.restart' },
            { label: '$(debug-stop) Stop Runtime', command: 'mfdata.stop' },
            { label: '$(file-code) Open Generated Config', command: 'mfdata.openGeneratedConfig' },
            { label: '$(folder-opened) Reveal Runtime Home', command: 'mfdata.revealHome' },
            { label: '$(list-tree) Show MFDATA Views', command: 'workbench.view.extension.mfdata' },
          ]
        : ctx.controller.state === 'untrusted'
        ? [
            // The runtime runs workspace code: it never starts here until the folder is trusted.
            { label: '$(shield) Manage Workspace Trust (the runtime starts only in a trusted folder)', command: 'workbench.trust.manage' },
            { label: '$(list-tree) Show MFDATA Views', command: 'workbench.view.extension.mfdata' },
          ]
        : [
            { label: '$(play) Start Runtime', command: 'mfdata.start' },
            { label: '$(add) Create Plugin', command: 'mfdata.createPlugin' },
            { label: '$(folder-opened) Reveal Runtime Home', command: 'mfdata.revealHome' },
            { label: '$(list-tree) Show MFDATA Views', command: 'workbench.view.extension.mfdata' },
          ];
      const pick = await vscode.window.showQuickPick(actions, { title: 'MFDATA', placeHolder: 'Runtime action' });
      if (!pick) throw new CancelledError();
      return vscode.commands.executeCommand(pick.command);
    }),
    registerCommand(ctx, 'mfdata.revealHome', async () => {
      const home = ctx.workspace.home();
      if (!home) throw new Error('MFDATA needs a folder open to have a runtime home.');
      fs.mkdirSync(home.root, { recursive: true });
      const uri = vscode.Uri.file(home.root);
      const inWorkspace = ctx.workspace.root && !path.relative(ctx.workspace.root, home.root).startsWith('..');
      await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
      return home.root;
    }),
    registerCommand(ctx, 'mfdata.openGeneratedConfig', async (file?: unknown) => {
      const home = ctx.workspace.home();
      if (!home) throw new Error('MFDATA needs a folder open to have a runtime home.');
      let target = typeof file === 'string' ? file : undefined;
      if (!target) {
        const files = listFiles(home.configAutoDir);
        if (files.length === 0) throw new Error(`No generated configuration in ${home.configAutoDir} yet: start the runtime once to generate it.`);
        const pick = await vscode.window.showQuickPick(
          files.map((f) => ({ label: path.relative(home.configAutoDir, f), file: f })),
          { title: 'MFDATA: Open Generated Config', placeHolder: home.configAutoDir },
        );
        if (!pick) throw new CancelledError();
        target = pick.file;
      }
      await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: true });
      return target;
    }),
  ];
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}
