// Journey recording settings: from `[journeys]` of mfdata.ini to MFDATA_JOURNEYS_* variables of step processes and back.
import type { ModuleConfig } from '../config/model';

export interface JourneySettings {
  enabled: boolean;
  /** Seconds a journey (and an edge's recent files) lives after its latest event. */
  keepSeconds: number;
  /** Share of Redis's maxmemory (%) journeys may fill (runtime/journey/memory-guard.ts); 50 when absent. */
  maxMemoryPercent?: number;
}

export const JOURNEY_ENV = { enabled: 'MFDATA_JOURNEYS', keepHours: 'MFDATA_JOURNEYS_KEEP_HOURS', maxMemoryPercent: 'MFDATA_JOURNEYS_MAX_MEMORY_PERCENT' } as const;

const DEFAULT_KEEP_HOURS = 24;
export const DEFAULT_MAX_MEMORY_PERCENT = 50;

/**
 * The variables a step process gets: none with the defaults (on, 24 h), so a runtime that does not touch
 * [journeys] has the environment (and process fingerprints) it had before journeys existed.
 */
export function journeyEnv(j: ModuleConfig['journeys']): Record<string, string> {
  const env: Record<string, string> = {};
  if (!j.enabled) env[JOURNEY_ENV.enabled] = '0';
  if (j.keepHours !== DEFAULT_KEEP_HOURS) env[JOURNEY_ENV.keepHours] = String(j.keepHours);
  if (j.maxMemoryPercent !== DEFAULT_MAX_MEMORY_PERCENT) env[JOURNEY_ENV.maxMemoryPercent] = String(j.maxMemoryPercent);
  return env;
}

export function journeySettingsFromEnv(env: NodeJS.ProcessEnv): JourneySettings {
  const hours = Number(env[JOURNEY_ENV.keepHours]);
  const percent = Number(env[JOURNEY_ENV.maxMemoryPercent]);
  return {
    enabled: env[JOURNEY_ENV.enabled] !== '0',
    keepSeconds: Math.round((Number.isFinite(hours) && hours > 0 ? hours : DEFAULT_KEEP_HOURS) * 3600),
    maxMemoryPercent: Number.isFinite(percent) && percent > 0 ? Math.min(100, percent) : DEFAULT_MAX_MEMORY_PERCENT,
  };
}

export const JOURNEYS_OFF: JourneySettings = { enabled: false, keepSeconds: 0, maxMemoryPercent: DEFAULT_MAX_MEMORY_PERCENT };
