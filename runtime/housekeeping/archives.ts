// The archive steps with a `lifetime`, read from the resolved plugin configurations in <home>/tmp/config_auto/plugins/*.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PluginConfig } from '../config/model';
import { isInside, type ArchiveRoot } from './plan';

const DAY_MS = 86_400_000;

/** An archive step housekeeping leaves alone, and why (logged so the operator can fix the configuration). */
export interface SkippedArchive {
  label: string;
  file: string;
  reason: string;
}

/** Archive roots of the given plugins; a dest_dir overlapping IN (queued work, claims) is skipped rather than cleaned. */
export function archiveRootsOf(plugins: readonly PluginConfig[], inDir: string): { roots: ArchiveRoot[]; skipped: SkippedArchive[] } {
  const roots: ArchiveRoot[] = [];
  const skipped: SkippedArchive[] = [];
  for (const plugin of plugins) {
    for (const step of plugin.steps) {
      if (step.stepModule !== 'builtin:archive') continue;
      const days = Number(step.options.lifetime ?? '0');
      if (!Number.isFinite(days) || days <= 0) continue;
      const label = `${plugin.name}/${step.name}`;
      const dir = step.options.dest_dir ?? '';
      if (!path.isAbsolute(dir)) {
        skipped.push({ label, file: plugin.configFile, reason: `dest_dir '${dir}' is not absolute: set an absolute archive directory in [step_${step.name}]` });
        continue;
      }
      const resolved = path.resolve(dir);
      if (resolved === path.resolve(inDir) || isInside(resolved, inDir) || isInside(inDir, resolved) || resolved === path.parse(resolved).root) {
        skipped.push({ label, file: plugin.configFile, reason: `dest_dir '${dir}' overlaps the inbox root ${inDir} (queued files would be deleted): archive outside it` });
        continue;
      }
      roots.push({ label, dir: resolved, lifetimeMs: days * DAY_MS, tagsSuffix: step.options.keep_tags_suffix || '.tags' });
    }
  }
  return { roots, skipped };
}

/** Reads every plugins/*.json of config_auto; an unreadable file is reported, not fatal (the next pass retries). */
export function readResolvedPlugins(configAutoDir: string): { plugins: PluginConfig[]; errors: string[] } {
  const dir = path.join(configAutoDir, 'plugins');
  const plugins: PluginConfig[] = [];
  const errors: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { plugins, errors };
    return { plugins, errors: [`cannot list ${dir}: ${(err as Error).message}`] };
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as PluginConfig;
      if (typeof parsed?.name !== 'string' || !Array.isArray(parsed.steps)) throw new Error('not a resolved plugin configuration (no name or steps)');
      plugins.push(parsed);
    } catch (err) {
      errors.push(`${file}: ${(err as Error).message}`);
    }
  }
  return { plugins, errors };
}
