// What the status bar item says for each runtime state, without vscode (tested in node).
import type { IndicatorState } from '../services/runtimeState';

export function indicatorText(s: IndicatorState): { text: string; tooltip: string; warn: boolean } {
  switch (s.kind) {
    case 'stopped':
      return { text: '$(circle-slash) MFDATA: stopped', tooltip: 'MFDATA runtime stopped: click for actions', warn: false };
    case 'starting':
      return { text: '$(sync~spin) MFDATA: starting', tooltip: 'MFDATA runtime starting', warn: false };
    case 'running':
      if (s.configError) {
        return {
          text: '$(warning) MFDATA: running, config not applied',
          tooltip: `MFDATA runtime running (${s.watchers} watchers) with its previous setup: the last configuration change was refused:\n${s.configError}\nFix it and save (mfdata config check lists every problem)`,
          warn: true,
        };
      }
      return { text: '$(pulse) MFDATA: running', tooltip: `MFDATA runtime running (${s.watchers} watchers): click for actions`, warn: false };
    case 'degraded':
      return {
        text: `$(warning) MFDATA: degraded (${s.failed.length} failed)`,
        tooltip: `MFDATA runtime degraded; failed watchers: ${s.failed.join(', ') || 'none reported'}`,
        warn: true,
      };
  }
}

/** The status bar tooltip: the state, then which folder (and home) the runtime belongs to. */
export function indicatorTooltip(stateTooltip: string, folder: string | undefined, home: string | undefined): string {
  if (!folder) return stateTooltip;
  return `${stateTooltip}\nProject folder: ${folder}${home ? `\nRuntime home: ${home}` : ''}`;
}
