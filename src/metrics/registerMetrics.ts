// Wires the metrics panel: `mfdata.showMetrics` (palette, Plugins view title, a step's context menu
// to show that step alone) over the runtime this window follows.
import * as vscode from 'vscode';
import type { RuntimeStatus } from '../../runtime/supervisor/protocol';
import { registerCommand, type CommandContext } from '../commands/context';
import { METRICS_BUCKET_SECONDS, METRICS_MINUTES, MetricsPanel } from './metricsPanel';
import type { StepRef } from './stepStats';

/** What the in-host tests reach through the extension's API. */
export interface MetricsApi {
  panel: MetricsPanel;
}

/** The runtime's steps: one per step watcher. */
export function runtimeSteps(status: RuntimeStatus | undefined): StepRef[] | undefined {
  return status?.watchers.filter((w) => w.kind === 'step' && w.plugin && w.step).map((w) => ({ plugin: w.plugin!, step: w.step! }));
}

/** A tree node or any object naming a plugin and a step. */
function focusOf(arg: unknown): string {
  if (typeof arg === 'object' && arg !== null) {
    const { plugin, step } = arg as { plugin?: unknown; step?: unknown };
    if (typeof plugin === 'string' && typeof step === 'string') return `${plugin}.${step}`;
  }
  return '';
}

export function registerMetrics(context: vscode.ExtensionContext, ctx: CommandContext, intervalSeconds: () => number): { api: MetricsApi; disposables: vscode.Disposable[] } {
  const panel = new MetricsPanel(
    vscode.Uri.joinPath(context.extensionUri, 'media', 'metrics'),
    {
      steps: () => runtimeSteps(ctx.monitor.status),
      series: (steps, now) => ctx.monitor.queues.series(steps, { minutes: METRICS_MINUTES, bucketSeconds: METRICS_BUCKET_SECONDS }, now),
    },
    intervalSeconds,
  );
  const command = registerCommand(ctx, 'mfdata.showMetrics', async (arg?: unknown) => {
    await panel.show(focusOf(arg));
    return panel.lastModel?.focus ?? '';
  });
  return { api: { panel }, disposables: [panel, command] };
}
