// `mfdata trash list|replay|delete`: the files failure policies kept, with their tags; put one back into a step, or delete it.
import { UsageError, type ParsedArgs } from '../args';
import type { CliContext, Command } from '../command';
import { withRuntimeRedis } from '../runtime-redis';
import { runtimeHome } from '../../home';
import { deleteFromTrash, listTrash, replayFromTrash, TrashError } from '../../trash/trash';

/** `plugin/step/name` (the name may not hold a slash; `<switch>.nomatch` trash is `switch/nomatch/name`). */
function parseEntry(value: string | undefined): { plugin: string; step: string; name: string } {
  const parts = (value ?? '').split('/');
  if (parts.length !== 3 || parts.some((p) => p === '')) throw new UsageError(`'${value ?? ''}' is not plugin/step/name (see mfdata trash list)`);
  return { plugin: parts[0], step: parts[1], name: parts[2] };
}

async function guarded(ctx: CliContext, command: string, work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (err) {
    if (!(err instanceof TrashError)) throw err;
    ctx.stderr.write(`mfdata trash ${command}: ${err.message}\n`);
    return 1;
  }
}

export const trashListCommand: Command = {
  path: ['trash', 'list'],
  summary: 'files kept in the trash by failure policies (newest first), with the failure reason from their .tags',
  usage: 'trash list [--json]',
  options: [{ name: 'json', description: 'print the TrashEntry objects with every tag' }],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const entries = listTrash(runtimeHome(ctx.home));
    if (args.options.json === true) ctx.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    else if (entries.length === 0) ctx.stdout.write('the trash is empty\n');
    else {
      for (const e of entries) {
        const reason = e.tags['latest.core.failure_reason'];
        ctx.stdout.write(`${e.plugin}/${e.step}/${e.name}  ${e.size} B  ${new Date(e.mtime).toISOString()}${reason ? `  ${reason}` : ''}\n`);
      }
    }
    return 0;
  },
};

export const trashReplayCommand: Command = {
  path: ['trash', 'replay'],
  summary: "put a trashed file back into a step's inbox with its tags (it is processed again)",
  usage: 'trash replay <plugin/step/name> --to <plugin/step>',
  options: [{ name: 'to', value: true, description: 'the step to hand it to' }],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const entry = parseEntry(args.positionals[0]);
    const to = typeof args.options.to === 'string' ? args.options.to.split('/') : [];
    if (to.length !== 2 || to.some((p) => p === '')) throw new UsageError('trash replay needs --to plugin/step');
    // The tags go back into the runtime's Redis: a runtime that is not running is said so, the file left in the trash.
    return withRuntimeRedis(ctx, 'trash replay', (redis) => guarded(ctx, 'replay', async () => {
      const dest = await replayFromTrash(runtimeHome(ctx.home), entry, { plugin: to[0], step: to[1] }, { redis });
      ctx.stdout.write(`${dest}\n`);
    }));
  },
};

export const trashDeleteCommand: Command = {
  path: ['trash', 'delete'],
  summary: 'delete a trashed file and its .tags',
  usage: 'trash delete <plugin/step/name>',
  options: [],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const entry = parseEntry(args.positionals[0]);
    return guarded(ctx, 'delete', () => deleteFromTrash(runtimeHome(ctx.home), entry));
  },
};
