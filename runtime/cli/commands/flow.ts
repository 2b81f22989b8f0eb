// `mfdata flow [--json] [--since D]` (edges of the flow graph with counts) and `mfdata journey <uid|name> [--json]` (a file's timeline).
import { UsageError, type ParsedArgs } from '../args';
import type { CliContext, Command } from '../command';
import { withRuntimeRedis } from '../runtime-redis';
import { readFlow, readJourney } from '../../flow/read';
import { configuredStepsOf } from '../../flow/configured-edges';
import { runtimeHome } from '../../home';
import { parseSince, renderFlow, renderJourney } from '../../flow/render';
import { describeJourneyGaps, readJourneyGaps } from '../../journey/memory-guard';

export const flowCommand: Command = {
  path: ['flow'],
  summary: 'the flow graph: every edge files took (step → step, source → step, step → trash…) with counts; failure edges marked',
  usage: 'flow [--json] [--since YYYY-MM-DD|duration]',
  options: [
    { name: 'json', description: 'print the FlowGraph object (nodes, edges with kind route | error | virtual)' },
    { name: 'since', value: true, description: 'from this UTC day, or this long ago (90m, 12h, 2d); default today' },
  ],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    let since: Date | undefined;
    try {
      since = typeof args.options.since === 'string' ? parseSince(args.options.since) : undefined;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    return withRuntimeRedis(ctx, 'flow', async (redis) => {
      const graph = await readFlow(redis, { since, configuredSteps: configuredStepsOf(runtimeHome(ctx.home)) });
      ctx.stdout.write(args.options.json === true ? `${JSON.stringify(graph, null, 2)}\n` : renderFlow(graph));
      return 0;
    });
  },
};

export const journeyCommand: Command = {
  path: ['journey'],
  summary: "a file's journey: the steps it passed with times, outcomes and the tags each set, and where it ended",
  usage: 'journey <original uid | original name> [--json]',
  options: [{ name: 'json', description: 'print the Journey objects (several when a name matches several files)' }],
  async run(args: ParsedArgs, ctx: CliContext): Promise<number> {
    const [key, ...extra] = args.positionals;
    if (!key || extra.length > 0) throw new UsageError('journey needs exactly one original uid or original file name');
    return withRuntimeRedis(ctx, 'journey', async (redis) => {
      const journeys = await readJourney(redis, key);
      if (args.options.json === true) ctx.stdout.write(`${JSON.stringify(journeys, null, 2)}\n`);
      else if (journeys.length === 0) {
        ctx.stderr.write(`mfdata journey: no journey for '${key}' (unknown, expired after [journeys] keep_hours, or journeys off)\n`);
        // Or not recorded, or dropped, while Redis was short of memory: say when.
        const gaps = describeJourneyGaps(await readJourneyGaps(redis));
        if (gaps.length > 0) ctx.stderr.write(`journeys were not recorded or not kept at these times ([journeys] max_memory_percent):\n${gaps.map((g) => `  ${g}\n`).join('')}`);
      }
      else ctx.stdout.write(journeys.map(renderJourney).join('\n'));
      return journeys.length === 0 ? 1 : 0;
    });
  },
};
