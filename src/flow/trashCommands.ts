// Trash actions on a file of the Plugins view's trash browser: "Replay into Step…" (back into a step's inbox with its
// tags, through runtime/trash on the views' Redis connection) and "Delete" (after a modal confirmation).
import * as vscode from 'vscode';
import { readGeneratedPlugins } from '../../runtime/flow/configured-edges';
import type { RuntimeHome } from '../../runtime/home';
import { deleteFromTrash, replayFromTrash } from '../../runtime/trash/trash';
import { CancelledError, registerCommand, type CommandContext } from '../commands/context';
import type { NodeModel } from '../views/model';
import type { StepRef, TrashEntry } from './contract';
import type { TrashBrowser } from './trashBrowser';
import { reinjectSteps, replayTargets } from './trashModel';

/** What a caller (a test, another command) may pass instead of answering prompts. */
interface TrashCommandOptions {
  confirmed?: boolean;
}

function isNode(x: unknown): x is NodeModel {
  return typeof x === 'object' && x !== null && 'id' in x && 'kind' in x;
}

export function registerTrashCommands(ctx: CommandContext, trash: TrashBrowser): vscode.Disposable[] {
  const entryOf = async (arg: unknown): Promise<TrashEntry> => {
    const file = isNode(arg) ? arg.file : typeof arg === 'string' ? arg : undefined;
    if (!file) {
      const pick = await vscode.window.showQuickPick(
        trash.all.map((e) => ({ label: e.name, description: `${e.plugin}/${e.step}`, entry: e })),
        { title: 'MFDATA: file in the trash' },
      );
      if (!pick) throw new CancelledError();
      return pick.entry;
    }
    const found = trash.entry(file);
    if (!found) throw new Error(`${file} is not in the trash (any more): refresh the Plugins view.`);
    return found;
  };
  const home = () => {
    const h = ctx.workspace.home();
    if (!h) throw new Error('MFDATA needs a folder open on the local file system.');
    return h;
  };
  return [
    registerCommand(ctx, 'mfdata.trash.replay', async (arg: unknown, target?: unknown) => {
      const entry = await entryOf(arg);
      const given = typeof target === 'object' && target !== null && 'plugin' in target && 'step' in target ? (target as StepRef) : undefined;
      const to = given ?? (await pickTarget(ctx, entry, home()));
      const dest = await ctx.monitor.queues.withRedis(`replaying ${entry.name} into ${to.plugin}/${to.step}`, (r) => replayFromTrash(home(), entry, to, { redis: r }));
      ctx.log.info(`replayed ${entry.path} into ${to.plugin}/${to.step}: ${dest}`);
      void vscode.window.setStatusBarMessage(`MFDATA: ${entry.name} replayed into ${to.plugin}/${to.step}`, 5000);
      await ctx.refresh.refreshNow();
      return dest;
    }),
    registerCommand(ctx, 'mfdata.trash.delete', async (arg: unknown, options?: unknown) => {
      const entry = await entryOf(arg);
      if (!(options as TrashCommandOptions | undefined)?.confirmed) {
        const answer = await vscode.window.showWarningMessage(`Delete ${entry.name} from the trash of ${entry.plugin}/${entry.step}?`, { modal: true, detail: `${entry.path} and its .tags file are deleted.` }, 'Delete');
        if (answer !== 'Delete') throw new CancelledError();
      }
      await deleteFromTrash(home(), entry);
      ctx.log.info(`deleted ${entry.path} from the trash`);
      await ctx.refresh.refreshNow();
      return entry.path;
    }),
  ];
}

async function pickTarget(ctx: CommandContext, entry: TrashEntry, home: RuntimeHome): Promise<StepRef> {
  const running = (ctx.monitor.status?.watchers ?? []).filter((w) => w.kind === 'step' && w.plugin && w.step).map((w) => ({ plugin: w.plugin!, step: w.step! }));
  const pick = await vscode.window.showQuickPick(
    replayTargets(entry, running, reinjectSteps(readGeneratedPlugins(home))).map((s) => ({ label: `${s.plugin}/${s.step}`, description: s.plugin === entry.plugin && s.step === entry.step ? 'where it failed' : undefined, step: s })),
    { title: `MFDATA: replay ${entry.name} into step`, placeHolder: 'The step whose inbox receives the file (with its tags)' },
  );
  if (!pick) throw new CancelledError();
  return pick.step;
}
