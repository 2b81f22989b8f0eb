// The trash of failed files (failure policy keep): list it with the tags of each file, replay a file into a step, delete it.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Redis from 'ioredis';
import type { PluginConfig } from '../config/model';
import { readGeneratedPlugins } from '../flow/configured-edges';
import { openRuntimeRedis } from '../flow/redis-address';
import type { StepRef, TrashEntry } from '../flow/types';
import { stepInbox, type RuntimeHome } from '../home';
import { appendJourneyEvent } from '../journey/append';
import { ORIGINAL_BASENAME, ORIGINAL_UID, parseTagsFile } from '../tags/tag-names';
import { TagStore } from '../tags/tag-store';
import { isWholeWriteTemporary } from '../util/write-whole';
import { journeySettingsFromEnv, type JourneySettings } from '../journey/settings';
import type { SupervisorConfig } from '../supervisor/watcher-spec';
import { moveIntoInbox } from '../tags/inbox-name';

export const TAGS_SUFFIX = '.tags';

export class TrashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrashError';
  }
}

/** Which step a `trash/<dir>` belongs to: a configured `<plugin>.<step>`, else split at the last dot (`<switch>.nomatch`). */
function stepOfDir(dir: string, plugins: readonly PluginConfig[]): StepRef {
  for (const p of plugins) for (const s of p.steps) if (`${p.name}.${s.name}` === dir) return { plugin: p.name, step: s.name };
  const dot = dir.lastIndexOf('.');
  return dot <= 0 ? { plugin: dir, step: '' } : { plugin: dir.slice(0, dot), step: dir.slice(dot + 1) };
}

function readTags(file: string): Record<string, string> {
  try {
    return parseTagsFile(fs.readFileSync(`${file}${TAGS_SUFFIX}`, 'utf8'));
  } catch {
    return {};
  }
}

/** Every file under `IN/trash/` (its `.tags` read, not listed), newest first. */
export function listTrash(home: RuntimeHome, plugins: readonly PluginConfig[] = readGeneratedPlugins(home)): TrashEntry[] {
  const root = path.join(home.inDir, 'trash');
  const entries: TrashEntry[] = [];
  let dirs: string[] = [];
  try { dirs = fs.readdirSync(root); } catch { return []; }
  for (const dir of dirs.sort()) {
    const { plugin, step } = stepOfDir(dir, plugins);
    let names: string[] = [];
    try { names = fs.readdirSync(path.join(root, dir)); } catch { continue; }
    for (const name of names) {
      if (name.endsWith(TAGS_SUFFIX) && names.includes(name.slice(0, -TAGS_SUFFIX.length))) continue;
      // A .tags file being written (temporary name, renamed when whole) is not a trashed file.
      if (isWholeWriteTemporary(name)) continue;
      const file = path.join(root, dir, name);
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (!st?.isFile()) continue;
      entries.push({ plugin, step, name, path: file, size: st.size, mtime: st.mtimeMs, tags: readTags(file) });
    }
  }
  return entries.sort((a, b) => b.mtime - a.mtime);
}

/** The trashed file an entry names, refusing anything that would lead outside the trash (the path given is not trusted). */
export function trashPath(home: RuntimeHome, entry: Pick<TrashEntry, 'plugin' | 'step' | 'name'>): string {
  const root = path.join(home.inDir, 'trash');
  const bad = (s: string): boolean => s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\0');
  if (bad(entry.name) || bad(entry.plugin) || entry.step.includes('/')) {
    throw new TrashError(`'${entry.plugin}/${entry.step}/${entry.name}' does not name a file in the trash (no '/', '.' or '..' in its parts)`);
  }
  const file = path.resolve(root, entry.step === '' ? entry.plugin : `${entry.plugin}.${entry.step}`, entry.name);
  if (!file.startsWith(root + path.sep)) throw new TrashError(`${file} is outside the trash ${root}`);
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) throw new TrashError(`no file ${file} in the trash (already replayed or deleted?)`);
  return file;
}

export interface TrashOptions {
  /** Default: a connection to the home's Redis, closed afterwards. */
  redis?: Redis;
  /** Default: the generated configuration of the home. */
  plugins?: readonly PluginConfig[];
}

/**
 * Moves a trashed file into a step's inbox with its tags put back into Redis: its name in the inbox reserved first
 * (never replacing a file waiting there: the first free name, else `<stem>.<8 hex><.ext>`, runtime/tags/inbox-name.ts),
 * renamed to a temporary `.<12 hex>.t` there (the observer ignores it), tags set for the reserved path, its trash `.tags` removed,
 * then renamed onto the reserved name, so the step sees it complete and tagged. The `.tags` goes before the file
 * shows in the inbox: a file failing again at once is trashed with a new `.tags`, which a late removal would take.
 * Its journey records the replay. Returns the inbox path.
 */
export async function replayFromTrash(home: RuntimeHome, entry: Pick<TrashEntry, 'plugin' | 'step' | 'name'>, target: StepRef, opts: TrashOptions = {}): Promise<string> {
  const plugins = opts.plugins ?? readGeneratedPlugins(home);
  if (!plugins.some((p) => p.name === target.plugin && p.steps.some((s) => s.name === target.step))) {
    throw new TrashError(`no step '${target.plugin}/${target.step}' in the runtime's configuration (steps: ${plugins.flatMap((p) => p.steps.map((s) => `${p.name}/${s.name}`)).join(', ') || 'none'})`);
  }
  const file = trashPath(home, entry);
  const tagsFile = `${file}${TAGS_SUFFIX}`;
  const tagsText = fs.existsSync(tagsFile) ? fs.readFileSync(tagsFile, 'utf8') : undefined;
  const tags = tagsText === undefined ? {} : parseTagsFile(tagsText);
  const inbox = stepInbox(home, target.plugin, target.step);
  await fs.promises.mkdir(inbox, { recursive: true });
  const redis = opts.redis ?? openRuntimeRedis(home, 'trash');
  try {
    return await moveIntoInbox(path.join(inbox, entry.name), async (dest) => {
      // A name of its own (never `<name>.t`, which may be a producer's file being written), ignored by the observer.
      const tmp = path.join(inbox, `.${randomBytes(6).toString('hex')}.t`); // isWholeWriteTemporary
      await fs.promises.rename(file, tmp);
      try {
        if (Object.keys(tags).length > 0) await new TagStore(redis).set(dest, tags);
        const uid = tags[ORIGINAL_UID];
        const journey = runtimeJourneySettings(home, target);
        if (uid && journey.enabled) {
          await appendJourneyEvent(redis, journey.keepSeconds, uid, { e: 'replay', from: trashOf(entry), to: `${target.plugin}/${target.step}`, t: Date.now() }, tags[ORIGINAL_BASENAME] ?? '');
        }
        await fs.promises.rm(tagsFile, { force: true });
        await fs.promises.rename(tmp, dest);
      } catch (err) {
        // Back into the trash as it was: the file, then its .tags if it was removed already.
        await fs.promises.rename(tmp, file).catch(() => undefined);
        if (tagsText !== undefined && !fs.existsSync(tagsFile)) await fs.promises.writeFile(tagsFile, tagsText).catch(() => undefined);
        throw err;
      }
    });
  } finally {
    if (!opts.redis) redis.disconnect();
  }
}

/** `p/s` of the trash an entry is in (`p` for a trash of no step, e.g. a switch's nomatch). */
function trashOf(entry: Pick<TrashEntry, 'plugin' | 'step'>): string {
  return entry.step === '' ? entry.plugin : `${entry.plugin}/${entry.step}`;
}

/**
 * The [journeys] settings the runtime runs with: those of the step's watcher in the generated watchers.json (the
 * step env of mfdata.ini's [journeys]), not the CLI's own environment; the defaults before the first generation.
 */
function runtimeJourneySettings(home: RuntimeHome, step: StepRef): JourneySettings {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(home.configAutoDir, 'watchers.json'), 'utf8')) as SupervisorConfig;
    const watcher = config.watchers.find((w) => w.kind === 'step' && w.plugin === step.plugin && w.step === step.step) ?? config.watchers.find((w) => w.kind === 'step');
    if (watcher) return journeySettingsFromEnv(watcher.env);
  } catch {
    // Not generated yet, or being rewritten: the defaults.
  }
  return journeySettingsFromEnv({});
}

/** Deletes a trashed file and its `.tags`; its journey (when it has one) ends with the deletion. */
export async function deleteFromTrash(home: RuntimeHome, entry: Pick<TrashEntry, 'plugin' | 'step' | 'name'>, opts: Pick<TrashOptions, 'redis'> = {}): Promise<void> {
  const file = trashPath(home, entry);
  const tags = readTags(file);
  await fs.promises.rm(file);
  await fs.promises.rm(`${file}${TAGS_SUFFIX}`, { force: true });
  const uid = tags[ORIGINAL_UID];
  const journey = runtimeJourneySettings(home, entry);
  if (!uid || !journey.enabled) return;
  const redis = opts.redis ?? openRuntimeRedis(home, 'trash');
  // Refused when the runtime is stopped: reported by the call below, not as an unhandled event.
  redis.on('error', () => undefined);
  try {
    await appendJourneyEvent(redis, journey.keepSeconds, uid, { e: 'purge', from: trashOf(entry), t: Date.now() }, tags[ORIGINAL_BASENAME] ?? '');
  } catch {
    // The file is deleted, as asked; its journey (a best-effort record) just does not say so (runtime stopped).
  } finally {
    if (!opts.redis) redis.disconnect();
  }
}
