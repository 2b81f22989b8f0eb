// The `ctx` of a one-shot debug run: same API as the worker's, but tags live in memory (Redis is never touched)
// and routing calls move/copy the file into the run's scratch directory while recording where it would have gone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Awaitable, Compression, RouteOptions, StepContext, StepFile, StepLogger, StepMetrics, TagQuery } from '../api/types';
import { DISABLED_METRICS } from '../metrics/client';
import type { PluginConfig, StepConfig } from '../config/model';
import { stepInbox, type RuntimeHome } from '../home';
import { ORIGINAL_BASENAME, ORIGINAL_UID, STEP_COUNTER, stepTag } from '../tags/tag-names';
import type { RoutedFile } from './report';
import { withUncompressed } from '../steps/uncompress';

export class RecordingStepContext implements StepContext {
  readonly plugin: string;
  readonly step: string;
  readonly pluginDir: string;
  readonly custom: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, string>>;
  /** Tags per file path (the copy, then wherever routing put it). */
  private readonly tagsByPath = new Map<string, Record<string, string>>();
  /** Tags written through setTag, in order, by raw name. */
  readonly tagsSet: Record<string, string> = {};
  readonly routed: RoutedFile[] = [];
  /** A debug run is not production traffic: its files are not counted. */
  readonly metrics: StepMetrics = DISABLED_METRICS;

  constructor(
    private readonly home: RuntimeHome,
    plugin: PluginConfig,
    stepConfig: StepConfig,
    readonly log: StepLogger,
    /** The run's own directory: scratch space for routed files and tmpPath(). */
    private readonly scratchDir: string,
  ) {
    this.plugin = plugin.name;
    this.step = stepConfig.name;
    this.pluginDir = plugin.dir;
    this.custom = Object.freeze({ ...(plugin.custom ?? {}) });
    this.options = Object.freeze({ ...(stepConfig.options ?? {}) });
  }

  /** Seeds the tags a file has when a step claims it (the core tags of its first step). */
  seed(file: string, tags: Record<string, string>): void {
    this.tagsByPath.set(file, { ...tags });
  }

  tagsOf(file: string): Record<string, string> {
    return { ...(this.tagsByPath.get(file) ?? {}) };
  }

  getCustom(key: string, defaultValue?: string): string {
    const value = this.custom[key] ?? this.options[key] ?? defaultValue;
    if (value === undefined) {
      throw new Error(`plugin '${this.plugin}' step '${this.step}': custom key '${key}' is not set (add it to [custom] or to [step_${this.step}] in config.ini, or pass a default)`);
    }
    return value;
  }

  async getTag(file: StepFile | string, name: string, query: TagQuery = {}): Promise<string | undefined> {
    return this.tagsByPath.get(pathOf(file))?.[stepTag(query.counter ?? 'latest', query.plugin ?? this.plugin, query.step ?? this.step, name)];
  }

  async setTag(file: StepFile | string, name: string, value: string | number): Promise<void> {
    const p = pathOf(file);
    const tags = this.tagsByPath.get(p) ?? {};
    const n = typeof file === 'string' ? Number(tags[STEP_COUNTER] ?? 0) : file.stepCounter;
    for (const key of [stepTag(n, this.plugin, this.step, name), stepTag('latest', this.plugin, this.step, name)]) {
      tags[key] = String(value);
      this.tagsSet[key] = String(value);
    }
    this.tagsByPath.set(p, tags);
  }

  async getTags(file: StepFile | string): Promise<Record<string, string>> {
    return this.tagsOf(pathOf(file));
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
    return path.join(this.scratchDir, 'tmp', `${randomBytes(16).toString('hex')}.${suffix.replace(/\//g, '_')}tmp`);
  }

  inbox(plugin: string, step: string): string {
    return stepInbox(this.home, plugin, step);
  }

  uncompressed(file: StepFile, method: Compression, strict: boolean, fn: (file: StepFile) => Awaitable<boolean>): Promise<boolean> {
    return withUncompressed({
      tmpPath: (suffix) => this.tmpPath(suffix),
      copyTags: async (src, dst) => void this.tagsByPath.set(dst, this.tagsOf(src)),
      dropTags: async (p) => void this.tagsByPath.delete(p),
      log: this.log,
      where: `plugin '${this.plugin}' [step_${this.step}] (${method} wrapper, debug run)`,
    }, file, method, strict, fn);
  }

  private async route(action: RoutedFile['action'], file: StepFile | string, plugin: string, step: string, options: RouteOptions = {}): Promise<boolean> {
    const src = pathOf(file);
    try {
      const tags = this.tagsByPath.get(src) ?? {};
      const keep = options.keepOriginalBasename ?? false;
      const name = (keep === true ? tags[ORIGINAL_BASENAME] : keep === null ? tags[ORIGINAL_UID] : undefined)?.replace(/\//g, '_') || randomBytes(16).toString('hex');
      const scratch = path.join(this.scratchDir, 'routed', `step.${plugin}.${step}`);
      await fs.promises.mkdir(scratch, { recursive: true });
      let scratchPath = path.join(scratch, name);
      if (fs.existsSync(scratchPath)) scratchPath = `${scratchPath}.${randomBytes(4).toString('hex')}`;
      // A hard link would share the inode with the run's copy: a later write by the step would change both.
      if (action === 'move') await fs.promises.rename(src, scratchPath);
      else await fs.promises.copyFile(src, scratchPath);
      this.tagsByPath.set(scratchPath, { ...tags });
      if (action === 'move') this.tagsByPath.delete(src);
      this.routed.push({ action, plugin, step, wouldGoTo: path.join(stepInbox(this.home, plugin, step), name), scratchPath });
      return true;
    } catch (err) {
      this.log.exception(`cannot ${action} the file to ${plugin}/${step}`, err, { file: src });
      return false;
    }
  }
}

function pathOf(file: StepFile | string): string {
  return typeof file === 'string' ? file : file.path;
}
