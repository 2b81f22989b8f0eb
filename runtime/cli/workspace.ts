// Finds the workspace and the runtime home the CLI works on.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The nearest directory, from `start` upwards, holding `mfdata.ini` or a `plugins/` folder; `start` itself if none. */
export function findWorkspace(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'mfdata.ini')) || fs.existsSync(path.join(dir, 'plugins'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

export function resolveHome(workspace: string, option: string | undefined, env: NodeJS.ProcessEnv): string {
  if (option) return path.resolve(option);
  if (env.MFDATA_HOME) return path.resolve(env.MFDATA_HOME);
  return path.join(workspace, '.mfdata');
}
