// The `ctx` a step receives: names, custom keys, its logger, tags, routing to other steps, a private tmp path.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Awaitable, Compression, RouteOptions, StepContext, StepFile, StepLogger, StepMetrics, TagQuery } from '../api/types';
import { DISABLED_METRICS } from '../metrics/client';
import type { PluginConfig, StepConfig } from '../config/model';
import { stepInbox, stepTmpDir, type RuntimeHome } from '../home';
import { traceEnd } from '../queue/keys';
import type { StepState } from '../queue/step-state';
import { ORIGINAL_BASENAME, ORIGINAL_UID, STEP_COUNTER, stepTag } from '../tags/tag-names';
import type { TagStore } from '../tags/tag-store';
import { copyTagged, hardlinkTagged, moveTagged } from '../tags/tagged-file';
import { withUncompressed } from '../steps/uncompress';
import { copyTaggedIntoInbox, moveTaggedIntoInbox } from '../tags/inbox-name';
import type { ClaimOwners } from './claim-owners';
import { RouteTargets } from './route-targets';

export class CustomKeyError extends Error {
  constructor(plugin: string, step: string, key: string) {
    super(`plugin '${plugin}' step '${step}': custom key '${key}' is not set (add it to [custom] or to [step_${step}] in config.ini, or pass a default)`);
    this.name = 'CustomKeyError';
  }
}

type Route = 'move' | 'copy' | 'hardlink';

export class WorkerStepContext implements StepContext {
  readonly plugin: string;
  readonly step: string;
  readonly pluginDir: string;
  readonly custom: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, string>>;

  constructor(
    private readonly home: RuntimeHome,
    pluginConfig: PluginConfig,
    stepConfig: StepConfig,
    readonly log: StepLogger,
    private readonly tags: TagStore,
    private readonly state: StepState,
    private readonly owners: ClaimOwners,
    readonly metrics: StepMetrics = DISABLED_METRICS,
    private readonly targets: RouteTargets = new RouteTargets(home),
  ) {
    this.plugin = pluginConfig.name;
    this.step = stepConfig.name;
    this.pluginDir = pluginConfig.dir;
    this.custom = Object.freeze({ ...(pluginConfig.custom ?? {}) });
    this.options = Object.freeze({ ...(stepConfig.options ?? {}) });
  }

  getCustom(key: string, defaultValue?: string): string {
    const value = this.custom[key] ?? this.options[key] ?? defaultValue;
    if (value === undefined) throw new CustomKeyError(this.plugin, this.step, key);
    return value;
  }

  async getTag(file: StepFile | string, name: string, query: TagQuery = {}): Promise<string | undefined> {
    return this.tags.get(pathOf(file), stepTag(query.counter ?? 'latest', query.plugin ?? this.plugin, query.step ?? this.step, name));
  }

  async setTag(file: StepFile | string, name: string, value: string | number): Promise<void> {
    const p = pathOf(file);
    const n = typeof file === 'string' ? Number((await this.tags.get(p, STEP_COUNTER)) ?? 0) : file.stepCounter;
    await this.tags.set(p, { [stepTag(n, this.plugin, this.step, name)]: String(value), [stepTag('latest', this.plugin, this.step, name)]: String(value) });
  }

  async getTags(file: StepFile | string): Promise<Record<string, string>> {
    return this.tags.getAll(pathOf(file));
  }

  moveToPluginStep(file: StepFile | string, plugin: string, step: string, options?: RouteOptions): Promise<boolean> {
    return this.route('move', file, plugin, step, options);
  }

  copyToPluginStep(file: StepFile | string, plugin: string, step: string, options?: RouteOptions): Promise<boolean> {
    return this.route('copy', file, plugin, step, options);
  }

  hardlinkToPluginStep(file: StepFile | string, plugin: string, step: string, options?: RouteOptions): Promise<boolean> {
    return this.route('hardlink', file, plugin, step, options);
  }

  tmpPath(suffix = ''): string {
    const dir = stepTmpDir(this.home, this.plugin, this.step);
    return path.join(dir, `${this.owners.newUid()}.${suffix.replace(/\//g, '_')}tmp`);
  }

  inbox(plugin: string, step: string): string {
    return stepInbox(this.home, plugin, step);
  }

  uncompressed(file: StepFile, method: Compression, strict: boolean, fn: (file: StepFile) => Awaitable<boolean>): Promise<boolean> {
    return withUncompressed({
      tmpPath: (suffix) => this.tmpPath(suffix),
      copyTags: async (src, dst) => void (await this.tags.copy(src, dst)),
      dropTags: (p) => this.tags.drop(p),
      log: this.log,
      where: `plugin '${this.plugin}' [step_${this.step}] (${method} wrapper)`,
    }, file, method, strict, fn);
  }

  private async route(kind: Route, file: StepFile | string, plugin: string, step: string, options: RouteOptions = {}): Promise<boolean> {
    const src = pathOf(file);
    const unknown = this.targets.problem(plugin, step);
    if (unknown !== undefined) {
      // Not a watched inbox (or not even a name: '..', '/'): the file stays where it is, the step decides.
      this.log.error(`cannot ${kind} the file to ${plugin}/${step}: ${unknown}; the file was not moved`, { file: src, target: `${plugin}/${step}` });
      return false;
    }
    try {
      const inbox = stepInbox(this.home, plugin, step);
      await fs.promises.mkdir(inbox, { recursive: true });
      const keep = options.keepOriginalBasename ?? false;
      let dst: string;
      if (keep === false) {
        // A fresh random name cannot be taken.
        dst = path.join(inbox, this.owners.newUid());
        if (kind === 'move') await moveTagged(this.tags, src, dst);
        else if (kind === 'copy') await copyTagged(this.tags, src, dst);
        else await hardlinkTagged(this.tags, src, dst);
      } else {
        // A waiting file of the same name is never replaced, even by a mover racing this one (tags/inbox-name.ts).
        const wanted = path.join(inbox, await this.targetName(file, keep));
        dst = kind === 'move' ? await moveTaggedIntoInbox(this.tags, src, wanted) : await copyTaggedIntoInbox(this.tags, src, wanted, kind);
      }
      const traced = typeof file === 'string'
        ? { tagPath: kind === 'move' ? dst : src, claimUid: path.basename(src) }
        : { tagPath: kind === 'move' ? dst : src, claimUid: file.uid, originalUid: file.originalUid, name: file.originalBasename };
      await this.state.trace(traceEnd(plugin, step), new Date(), traced, kind);
      return true;
    } catch (err) {
      this.log.exception(`cannot ${kind} the file to ${plugin}/${step}`, err, { file: src });
      return false;
    }
  }

  /** true: the original base name; null: the original uid (a random name when unknown). Taken names are dealt with in tags/inbox-name.ts. */
  private async targetName(file: StepFile | string, keep: boolean | null): Promise<string> {
    // The claim-time values first: they survive a Redis that lost its data since.
    const known = typeof file === 'string' ? undefined : keep === true ? file.originalBasename : file.originalUid;
    return (known ?? (await this.tags.get(pathOf(file), keep === true ? ORIGINAL_BASENAME : ORIGINAL_UID)))?.replace(/\//g, '_') || this.owners.newUid();
  }
}

function pathOf(file: StepFile | string): string {
  return typeof file === 'string' ? file : file.path;
}
