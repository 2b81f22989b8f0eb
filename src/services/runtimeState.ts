// What the extension tells the user about the runtime, derived from plain facts: the `mfdata.state`
// context value the welcome views are keyed on, and the status bar's stopped/starting/running/degraded.
// Pure, no vscode.
import type { RuntimeStatus } from '../../runtime/supervisor/protocol';

/** Values of the `mfdata.state` context key (package.json viewsWelcome `when` clauses). */
export type ExtensionState = 'untrusted' | 'noPlugins' | 'redisNotFound' | 'notRunning' | 'starting' | 'running';

export interface StateFacts {
  trusted: boolean;
  /** The workspace holds at least one `plugins/<name>/config.ini`. */
  hasPlugins: boolean;
  redisFound: boolean;
  /** A start command is in flight. */
  starting: boolean;
  /** The supervisor's status, when one answers on the control socket. */
  status?: RuntimeStatus;
}

export function extensionState(f: StateFacts): ExtensionState {
  if (!f.trusted) return 'untrusted';
  if (f.status) return 'running';
  if (f.starting) return 'starting';
  if (!f.hasPlugins) return 'noPlugins';
  if (!f.redisFound) return 'redisNotFound';
  return 'notRunning';
}

export type IndicatorState =
  | { kind: 'stopped' }
  | { kind: 'starting' }
  /** configError: the last configuration change was refused, the runtime runs its previous setup. */
  | { kind: 'running'; watchers: number; configError?: string }
  | { kind: 'degraded'; failed: string[] };

/** The status bar's reading: degraded as soon as one watcher failed or is backing off. */
export function indicatorState(f: Pick<StateFacts, 'starting' | 'status'>): IndicatorState {
  const s = f.status;
  if (!s) return f.starting ? { kind: 'starting' } : { kind: 'stopped' };
  const failed = s.watchers.filter((w) => w.state === 'failed' || w.state === 'backoff').map((w) => w.name);
  if (failed.length > 0 || s.state === 'degraded') return { kind: 'degraded', failed };
  if (s.state === 'starting' || f.starting) return { kind: 'starting' };
  return { kind: 'running', watchers: s.watchers.length, ...(s.configError ? { configError: s.configError } : {}) };
}
