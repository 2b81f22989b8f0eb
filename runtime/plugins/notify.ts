// Tells a running runtime that the installed plugins changed: regenerates tmp/config_auto and asks the supervisor
// to reload, which starts the watchers of a new plugin and stops those of a removed one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runtimeHome } from '../home';
import { formatProblem, hasErrors } from '../config/errors';
import { loadRuntimeConfig } from '../config/load';
import { generateConfigAuto } from '../config/generate';
import { writeConfigAuto } from '../config/generate/write';
import { ControlClient, NotRunningError } from '../supervisor/control-client';

/** dist/runtime (worker.js, observer.js…): next to this code when bundled, else under the package root. */
function runtimeDir(): string {
  if (fs.existsSync(path.join(__dirname, 'worker.js'))) return __dirname;
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'runtime');
  }
  return __dirname;
}

/** Returns a line for the user saying what happened to the running runtime (if any). */
export async function notifyRuntime(workspace: string, homeRoot: string): Promise<string> {
  const home = runtimeHome(homeRoot);
  let client: ControlClient;
  try {
    client = await ControlClient.connect(home.supervisorSocket, 1000);
  } catch (err) {
    if (err instanceof NotRunningError) return 'the runtime is not running: the change applies at the next `mfdata start`';
    throw err;
  }
  try {
    const loaded = loadRuntimeConfig({ workspace, home: home.root, env: process.env });
    if (hasErrors(loaded.problems)) {
      const first = loaded.problems.find((p) => p.severity === 'error');
      return `the running runtime keeps its configuration: ${first ? formatProblem(first) : 'configuration errors'} (see \`mfdata config check\`)`;
    }
    writeConfigAuto(home.root, generateConfigAuto(loaded.config, { runtimeDir: runtimeDir(), nodePath: process.execPath }));
    const result = (await client.request({ cmd: 'reload' })) as { added?: string[]; removed?: string[] } | undefined;
    const added = result?.added ?? [];
    const removed = result?.removed ?? [];
    return `the running runtime reloaded: ${added.length} watcher(s) started${added.length ? ` (${added.join(', ')})` : ''}, ${removed.length} stopped${removed.length ? ` (${removed.join(', ')})` : ''}`;
  } catch (err) {
    return `the runtime did not reload (${err instanceof Error ? err.message : String(err)}); run \`mfdata restart\``;
  } finally {
    client.close();
  }
}
