// "MFDATA: Create Plugin": a two-step quick input (template, then name) over the templates of
// `mfdata plugins create`, which writes the plugin into the workspace's plugins/ folder.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, location, registerCommand, type CommandContext } from './context';

export interface PluginTemplate {
  name: string;
  description: string;
}

/** Offered when the CLI cannot list its templates. */
export const FALLBACK_TEMPLATES: PluginTemplate[] = [
  { name: 'default', description: 'a TypeScript step (process(file, ctx)) you write' },
  { name: 'copy', description: 'built-in: copy each file to other steps' },
  { name: 'move', description: 'built-in: move each file to a directory or step' },
  { name: 'archive', description: 'built-in: archive each file under a dated directory' },
  { name: 'fork', description: 'built-in: run a command for each file' },
  { name: 'delete', description: 'built-in: delete each file' },
  { name: 'ungzip', description: 'built-in: gunzip each file and pass it on' },
  { name: 'switch', description: 'built-in: route files to steps by rules on their tags' },
];

/** MFDATA's plugin-name rules; returns the problem, or undefined when the name is valid. */
export function pluginNameProblem(name: string, existing: string[]): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) return 'letters, digits, _ and - only';
  if (name.startsWith('plugin_') || name.startsWith('__')) return "must not start with 'plugin_' or '__'";
  if (name === 'base' || name === 'config') return `'${name}' is reserved`;
  if (existing.includes(name)) return `a plugin '${name}' already exists in this workspace`;
  return undefined;
}

/** The templates `mfdata plugins create --list` prints (`name  summary` lines); the known ones if it cannot. */
async function templates(ctx: CommandContext): Promise<PluginTemplate[]> {
  try {
    const r = await ctx.launcher.cli(location(ctx), ['plugins', 'create', '--list'], { timeoutMs: 15_000 });
    const parsed = r.code === 0 ? parseTemplateList(r.stdout) : [];
    if (parsed.length > 0) return parsed;
  } catch {
    // an older CLI: offer the known templates
  }
  return FALLBACK_TEMPLATES;
}

export function parseTemplateList(text: string): PluginTemplate[] {
  return text
    .split('\n')
    .map((line) => /^(\S+)\s*(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1], description: m[2].trim() }));
}

/** Template pick (step 1/2) then name (step 2/2), with Back from the name to the template. */
async function wizard(choices: PluginTemplate[], existing: string[]): Promise<{ template: string; name: string }> {
  let template: string | undefined;
  for (;;) {
    if (!template) {
      const pick = await vscode.window.showQuickPick(
        choices.map((t) => ({ label: t.name, description: t.description })),
        { title: 'MFDATA: Create Plugin (1/2): template', ignoreFocusOut: true },
      );
      if (!pick) throw new CancelledError();
      template = pick.label;
    }
    const name = await askName(template, existing);
    if (name === 'back') {
      template = undefined;
      continue;
    }
    return { template, name };
  }
}

function askName(template: string, existing: string[]): Promise<string | 'back'> {
  return new Promise((resolve, reject) => {
    const box = vscode.window.createInputBox();
    box.title = `MFDATA: Create Plugin (2/2): name of the new '${template}' plugin`;
    box.step = 2;
    box.totalSteps = 2;
    box.placeholder = 'my_plugin';
    box.ignoreFocusOut = true;
    box.buttons = [vscode.QuickInputButtons.Back];
    let settled = false;
    const done = (f: () => void): void => {
      settled = true;
      box.dispose();
      f();
    };
    box.onDidChangeValue((v) => (box.validationMessage = v ? pluginNameProblem(v, existing) : undefined));
    box.onDidTriggerButton(() => done(() => resolve('back')));
    box.onDidAccept(() => {
      const problem = pluginNameProblem(box.value, existing);
      if (problem) box.validationMessage = problem;
      else done(() => resolve(box.value));
    });
    box.onDidHide(() => !settled && done(() => reject(new CancelledError())));
    box.show();
  });
}

export function registerCreatePlugin(ctx: CommandContext): vscode.Disposable {
  return registerCommand(ctx, 'mfdata.createPlugin', async (answers?: unknown) => {
    const where = location(ctx);
    const given = answers as { template?: string; name?: string } | undefined;
    const existing = ctx.workspace.plugins();
    const { template, name } = given?.template && given.name ? { template: given.template, name: given.name } : await wizard(await templates(ctx), existing);
    const problem = pluginNameProblem(name, existing);
    if (problem) throw new Error(`Plugin name '${name}': ${problem}.`);
    const r = await ctx.launcher.cli(where, ['plugins', 'create', name, '--template', template]);
    if (r.code !== 0) throw new Error(`mfdata plugins create ${name} --template ${template} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
    const config = path.join(where.workspace, 'plugins', name, 'config.ini');
    ctx.log.info(`created plugin ${name} from template ${template}`);
    await vscode.window.showTextDocument(vscode.Uri.file(config)).then(undefined, () => undefined);
    ctx.controller.update();
    return config;
  });
}
