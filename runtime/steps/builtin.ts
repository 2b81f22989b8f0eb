// What every built-in step is built from, and the helpers they share (targets, tag store, safe file placement).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StepDefinition, StepFile } from '../api/types';
import type { PluginConfig, StepConfig, SwitchRuleTarget } from '../config/model';
import { parseTargetList } from '../config/values';
import type { RuntimeHome } from '../home';
import type { Logger } from '../log/mflog';
import type { RedisAddress } from '../redis/address';
import { connectLeanRedis } from '../redis/connect';
import { TagStore } from '../tags/tag-store';

/** A built-in step option that cannot be used as written. */
export class BuiltinStepError extends Error {
  constructor(plugin: string, step: string, key: string, reason: string) {
    super(`plugin '${plugin}' [step_${step}] ${key}: ${reason}`);
    this.name = 'BuiltinStepError';
  }
}

export interface BuiltinDeps {
  home: RuntimeHome;
  plugin: PluginConfig;
  step: StepConfig;
  redis: RedisAddress;
  log: Logger;
}

export type BuiltinFactory = (deps: BuiltinDeps) => StepDefinition;

export function option(deps: BuiltinDeps, key: string, def = ''): string {
  const v = deps.step.options?.[key];
  return v === undefined || v.trim() === '' ? def : v.trim();
}

export function boolOption(deps: BuiltinDeps, key: string, def: boolean): boolean {
  const v = option(deps, key, def ? '1' : '0').toLowerCase();
  return ['1', 'true', 'yes', 'on'].includes(v);
}

/** `p/s, q/t*` (bare names are steps of this plugin). */
export function targetsOption(deps: BuiltinDeps, key: string, value: string): SwitchRuleTarget[] {
  const { targets, bad } = parseTargetList(value, deps.plugin.name);
  if (bad.length > 0) throw new BuiltinStepError(deps.plugin.name, deps.step.name, key, `'${bad[0].item}' is not plugin/step`);
  return targets.map((t) => ({ plugin: t.plugin, step: t.step, hardlinkAllowed: t.hardlinkAllowed }));
}

/** `plugin/step` or an absolute directory. */
export type Destination = { kind: 'step'; plugin: string; step: string } | { kind: 'dir'; dir: string };

export function destinationOption(deps: BuiltinDeps, key: string, def = ''): Destination {
  const v = option(deps, key, def);
  if (v === '') throw new BuiltinStepError(deps.plugin.name, deps.step.name, key, 'is required');
  if (path.isAbsolute(v)) return { kind: 'dir', dir: v };
  const [t] = targetsOption(deps, key, v);
  if (!t) throw new BuiltinStepError(deps.plugin.name, deps.step.name, key, `'${v}' is neither plugin/step nor an absolute directory`);
  return { kind: 'step', plugin: t.plugin, step: t.step };
}

/** A tag store on its own connection, for the steps that place files outside step inboxes. */
export class LazyTags {
  private store: TagStore | undefined;
  constructor(private readonly deps: BuiltinDeps) {}
  get(): TagStore {
    this.store ??= new TagStore(connectLeanRedis(this.deps.redis, { name: `mfdata:builtin:${this.deps.plugin.name}.${this.deps.step.name}:${process.pid}` }));
    return this.store;
  }
  async close(): Promise<void> {
    if (this.store) await this.store.redis.quit().catch(() => this.store?.redis.disconnect());
    this.store = undefined;
  }
}

/** Values for `dest_basename` placeholders from a claimed file. */
export function basenameValues(file: StepFile): { originalBasename: string; originalDirname: string; originalUid: string; stepCounter: string; now: Date } {
  return { originalBasename: file.originalBasename, originalDirname: file.originalDirname, originalUid: file.originalUid, stepCounter: String(file.stepCounter), now: new Date() };
}

/** Parses `force_chmod` (octal) once; undefined = leave the mode alone. */
export function chmodOption(deps: BuiltinDeps): number | undefined {
  const v = option(deps, 'force_chmod');
  if (v === '') return undefined;
  if (!/^0?[0-7]{3,4}$/.test(v)) throw new BuiltinStepError(deps.plugin.name, deps.step.name, 'force_chmod', `'${v}' is not an octal mode like 0644`);
  return parseInt(v, 8);
}

/** Refuses a destination that `..` would lead out of its root (dest_basename values are sanitised; this is the last guard). */
export function inside(root: string, rel: string): string {
  const p = path.resolve(root, rel);
  if (!p.startsWith(path.resolve(root) + path.sep)) throw new Error(`'${rel}' leads outside ${root}`);
  return p;
}

export async function ensureDir(dir: string): Promise<void> {
  await fs.promises.mkdir(dir, { recursive: true });
}
