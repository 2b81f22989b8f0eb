// The minimal level of one logger: the first matching override, else the step's debug flag, else MFLOG_MINIMAL_LEVEL.
import { LOG_LEVELS, levelRank, type LogLevel } from './record';
import { overrideLevel, type LevelOverride } from './overrides';

export interface LevelInputs {
  loggerName: string;
  /** `MFLOG_MINIMAL_LEVEL` (any case); default INFO, as mflog. */
  envLevel?: string;
  /** The step's `debug=1`: its workers log at debug. */
  debug?: boolean;
  overrides?: readonly LevelOverride[];
}

/** Resolves the level below which a logger drops records. Overrides win, as in mflog. */
export function minimalLevel(inputs: LevelInputs): LogLevel {
  const fromOverride = inputs.overrides ? overrideLevel(inputs.overrides, inputs.loggerName) : undefined;
  if (fromOverride) return fromOverride;
  if (inputs.debug) return 'debug';
  const rank = inputs.envLevel ? levelRank(inputs.envLevel) : -1;
  return rank >= 0 ? LOG_LEVELS[rank] : 'info';
}

/** True when a record at `level` passes a logger whose minimal level is `minimal`. */
export function levelEnabled(level: LogLevel, minimal: LogLevel): boolean {
  return levelRank(level) >= levelRank(minimal);
}
