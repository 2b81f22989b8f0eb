// Temporary workspaces and homes for configuration tests, and problem formatting relative to them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatProblem, type ConfigProblem } from '../../runtime/config/errors';

export interface TempTree {
  root: string;
  workspace: string;
  home: string;
  cleanup(): void;
}

/** Creates `<tmp>/ws` (the workspace) and `<tmp>/home` with the given files (paths relative to `<tmp>`). */
export function tempTree(files: Record<string, string | Uint8Array> = {}): TempTree {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-config-')));
  const workspace = path.join(root, 'ws');
  const home = path.join(root, 'home');
  fs.mkdirSync(workspace);
  fs.mkdirSync(home);
  writeFiles(root, files);
  return { root, workspace, home, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export function writeFiles(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** Problems as `mfdata config check` prints them, with the temp root shown as `.`. */
export function formatted(problems: readonly ConfigProblem[], root: string): string[] {
  return problems.map((p) => formatProblem({ ...p, file: path.relative(root, p.file) || '.' }).split(root).join('.'));
}

/** A valid [general] section (lines 1-8). */
export const GENERAL = [
  '[general]',
  '_version = 1.0.0',
  '_summary = test plugin',
  '_license = MIT',
  '_url = https://example.org',
  '_maintainer = me',
  '_vendor = us',
  '',
].join('\n');
