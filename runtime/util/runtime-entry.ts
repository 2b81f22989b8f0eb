// Locates a built runtime entry point (dist/runtime/<name>.js) from wherever this code runs:
// inside the bundle (dist/runtime), from out/ in tests, or from the sources.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type RuntimeEntry = 'supervisor' | 'observer' | 'worker' | 'conf-monitor' | 'log-shipper' | 'cli';

export class RuntimeEntryNotFoundError extends Error {
  constructor(name: string, searched: string[]) {
    super(`cannot find the runtime entry point ${name}.js (looked in ${searched.join(', ')}): run 'npm run build'`);
    this.name = 'RuntimeEntryNotFoundError';
  }
}

/** Absolute path of dist/runtime/<name>.js. `MFDATA_RUNTIME_DIR` overrides the search. */
export function runtimeEntry(name: RuntimeEntry, env: NodeJS.ProcessEnv = process.env): string {
  const searched: string[] = [];
  const candidates: string[] = [];
  if (env.MFDATA_RUNTIME_DIR) candidates.push(path.join(env.MFDATA_RUNTIME_DIR, `${name}.js`));
  // Bundled: every entry point sits next to this code in dist/runtime.
  candidates.push(path.join(__dirname, `${name}.js`));
  // Unbundled (out/runtime/util, runtime/util): the package root is above; use its dist/.
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      candidates.push(path.join(dir, 'dist', 'runtime', `${name}.js`));
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  for (const c of candidates) {
    searched.push(path.dirname(c));
    if (fs.existsSync(c)) return c;
  }
  throw new RuntimeEntryNotFoundError(name, searched);
}
