// A real workspace on disk for the language service tests: two plugins, a module file, a runtime home
// with inbox directories (one with a non-ASCII name), and the service over it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskEnvironment } from '../../src/language/service/environment';
import { ConfigLanguageService } from '../../src/language/service/service';
import type { LiveFigures, Position, Range, TextDocumentLike } from '../../src/language/service/types';

export const GENERAL = [
  '[general]',
  '_version = 1.0.0',
  '_summary = test plugin',
  '_license = MIT',
  '_url = https://example.org',
  '_maintainer = me',
  '_vendor = us',
].join('\n');

export interface LanguageFixture {
  root: string;
  workspace: string;
  home: string;
  /** An existing data directory with a non-ASCII name. */
  dataDir: string;
  env: DiskEnvironment;
  service: ConfigLanguageService;
  /** Paths of the documents the service classifies. */
  paths: { observer: string; generatedObserver: string; module: string; alpha: string; beta: string; override: string };
  cleanup(): void;
}

/**
 * `<tmp>/ws` with plugins alpha (steps main, archive; main.ts) and beta (step main), mfdata.ini turning
 * on the internal switch; `<tmp>/home` with var/in/incoming; `<tmp>/données/entrée` as an existing directory.
 */
export function languageFixture(live?: LiveFigures): LanguageFixture {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-lang-')));
  const workspace = path.join(root, 'ws');
  const home = path.join(root, 'home');
  const dataDir = path.join(root, 'données', 'entrée');
  const files: Record<string, string> = {
    'ws/mfdata.ini': '[internal_plugins]\ninstall_switch = 1\n',
    'ws/plugins/alpha/config.ini': `${GENERAL}\n\n[step_main]\n_step_module = main.ts\n\n[step_archive]\n_step_module = builtin:archive\ndest_dir = ${dataDir}\n`,
    'ws/plugins/alpha/main.ts': 'export function process(): void {}\n',
    'ws/plugins/beta/config.ini': `${GENERAL}\n\n[step_main]\n_step_module = builtin:delete\n`,
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  for (const d of [path.join(home, 'var', 'in', 'incoming'), path.join(home, 'var', 'in', 'step.alpha.main'), dataDir]) fs.mkdirSync(d, { recursive: true });
  const env = new DiskEnvironment({ workspace, home, env: { DATA: path.dirname(dataDir) } });
  return {
    root, workspace, home, dataDir, env,
    service: new ConfigLanguageService(env, live),
    paths: {
      observer: path.join(workspace, 'directory_observer.ini'),
      generatedObserver: path.join(home, 'tmp', 'config_auto', 'directory_observer.ini'),
      module: path.join(workspace, 'mfdata.ini'),
      alpha: path.join(workspace, 'plugins', 'alpha', 'config.ini'),
      beta: path.join(workspace, 'plugins', 'beta', 'config.ini'),
      override: path.join(home, 'config', 'plugins', 'alpha.ini'),
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

export function doc(p: string, text: string): TextDocumentLike {
  return { path: p, text };
}

/** `line:char-line:char` (0-based), compact for assertions. */
export function r(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** The position of the `|` marker in a text, and the text without it. */
export function cursor(textWithBar: string): { text: string; at: Position } {
  const i = textWithBar.indexOf('|');
  const before = textWithBar.slice(0, i);
  const lines = before.split(/\r\n|\n|\r/);
  return { text: before + textWithBar.slice(i + 1), at: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

/** Diagnostics as `severity range code: message`, one string each. */
export function shown(f: LanguageFixture, d: TextDocumentLike): string[] {
  return f.service.diagnostics(d).map((x) => `${x.severity} ${r(x.range)} ${x.code}: ${x.message.split(f.root).join('<root>')}`);
}
