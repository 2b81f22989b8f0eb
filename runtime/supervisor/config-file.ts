// Reads `<home>/tmp/config_auto/watchers.json` (written by config generation) with a light shape check.
import * as fs from 'node:fs';
import type { SupervisorConfig } from './watcher-spec';

export class SupervisorConfigError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'SupervisorConfigError';
  }
}

export function readSupervisorConfig(file: string): SupervisorConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SupervisorConfigError(file, `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)}): run 'mfdata start', which generates it`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SupervisorConfigError(file, `not valid JSON: ${(err as Error).message}`);
  }
  const config = value as SupervisorConfig;
  if (!config || typeof config !== 'object' || !Array.isArray(config.watchers)) throw new SupervisorConfigError(file, "no 'watchers' array");
  const seen = new Set<string>();
  config.watchers.forEach((w, i) => {
    const where = `watchers[${i}]${typeof w?.name === 'string' ? ` (${w.name})` : ''}`;
    if (!w || typeof w.name !== 'string' || w.name === '') throw new SupervisorConfigError(file, `${where}: 'name' missing`);
    if (seen.has(w.name)) throw new SupervisorConfigError(file, `${where}: duplicate watcher name`);
    seen.add(w.name);
    if (typeof w.command !== 'string' || w.command === '') throw new SupervisorConfigError(file, `${where}: 'command' missing`);
    if (!Array.isArray(w.args)) throw new SupervisorConfigError(file, `${where}: 'args' must be an array`);
    if (!Number.isInteger(w.numprocesses) || w.numprocesses < 0) throw new SupervisorConfigError(file, `${where}: 'numprocesses' must be an integer >= 0`);
    if (typeof w.logFile !== 'string') throw new SupervisorConfigError(file, `${where}: 'logFile' missing`);
  });
  return config;
}
