// Writes generated files under <home>/tmp/config_auto/ atomically (temp + rename), only when their bytes change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runtimeHome } from '../../home';
import type { ConfigAuto } from './index';

export interface WriteResult {
  /** Relative paths whose content changed (or that were created). */
  changed: string[];
  /** Relative paths of plugins/*.json removed because their plugin is gone. */
  removed: string[];
}

export function writeConfigAuto(home: string, result: ConfigAuto): WriteResult {
  const dir = runtimeHome(home).configAutoDir;
  const changed: string[] = [];
  for (const file of result.files) {
    const target = path.join(dir, ...file.path.split('/'));
    let current: string | undefined;
    try {
      current = fs.readFileSync(target, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === file.content) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // A reader (supervisor, observer, worker) sees the old file or the new one, never half of one.
    const temp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temp, file.content);
    fs.renameSync(temp, target);
    changed.push(file.path);
  }
  const removed: string[] = [];
  const pluginsDir = path.join(dir, 'plugins');
  const wanted = new Set(result.files.map((f) => f.path));
  if (fs.existsSync(pluginsDir)) {
    for (const name of fs.readdirSync(pluginsDir).sort()) {
      const rel = `plugins/${name}`;
      if (name.endsWith('.json') && !wanted.has(rel)) {
        fs.rmSync(path.join(pluginsDir, name), { force: true });
        removed.push(rel);
      }
    }
  }
  return { changed, removed };
}
