// Finds an executable the way execvp does: a path with a slash is used as is, a bare name is searched on PATH.
import * as fs from 'node:fs';
import * as path from 'node:path';

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of `command`, or undefined when it cannot be run. `cwd` resolves relative paths. */
export function findExecutable(command: string, envPath: string | undefined, cwd: string = process.cwd()): string | undefined {
  if (command.includes('/')) {
    const abs = path.resolve(cwd, command);
    return isExecutable(abs) ? abs : undefined;
  }
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}
