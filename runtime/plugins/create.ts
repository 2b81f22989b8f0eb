// `mfdata plugins create`: a new plugin directory from one of the templates in templates/.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pluginNameProblem, shownPluginName } from './names';
import { PluginToolError } from './errors';

export interface TemplateInfo {
  name: string;
  summary: string;
  dir: string;
}

export interface CreateOptions {
  template?: string;
  /** Directory the plugin directory is created in (`<workspace>/plugins`). */
  parentDir: string;
  version?: string;
  summary?: string;
  license?: string;
  url?: string;
  maintainer?: string;
  vendor?: string;
  /** Where templates live (found next to the runtime when not given). */
  templatesDir?: string;
}

export const DEFAULT_TEMPLATE = 'default';
const COMMON = '_common';

/** The templates/ folder shipped with the runtime: found upwards from this module (works from src, out/ and dist/). */
export function findTemplatesDir(start = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'templates');
    if (fs.existsSync(path.join(candidate, DEFAULT_TEMPLATE, 'config.ini'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new PluginToolError('templates', `plugin templates not found above ${start}`, 'reinstall the extension or the mfdata runtime');
    dir = parent;
  }
}

export function listTemplates(templatesDir = findTemplatesDir()): TemplateInfo[] {
  return fs.readdirSync(templatesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== COMMON && fs.existsSync(path.join(templatesDir, d.name, 'template.json')))
    .map((d) => {
      const info = JSON.parse(fs.readFileSync(path.join(templatesDir, d.name, 'template.json'), 'utf8')) as { summary?: string };
      return { name: d.name, summary: info.summary ?? '', dir: path.join(templatesDir, d.name) };
    })
    .sort((a, b) => (a.name === DEFAULT_TEMPLATE ? -1 : b.name === DEFAULT_TEMPLATE ? 1 : a.name.localeCompare(b.name)));
}

function generalSection(v: Record<string, string>): string {
  return [
    '[general]',
    '# Metadata shipped in the .plugin archive (`mfdata plugins build`).',
    `_version = ${v.__VERSION__}`,
    '_release = 1',
    `_summary = ${v.__SUMMARY__}`,
    `_license = ${v.__LICENSE__}`,
    `_url = ${v.__URL__}`,
    `_maintainer = ${v.__MAINTAINER__}`,
    `_vendor = ${v.__VENDOR__}`,
  ].join('\n');
}

function fill(text: string, values: Record<string, string>): string {
  let out = text;
  for (const [k, v] of Object.entries(values)) out = out.split(k).join(v);
  return out;
}

function copyTree(from: string, to: string, values: Record<string, string>, written: string[], root: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === 'template.json') continue;
    const src = path.join(from, entry.name);
    const dest = path.join(to, fill(entry.name, values));
    if (entry.isDirectory()) {
      fs.mkdirSync(dest, { recursive: true });
      copyTree(src, dest, values, written, root);
    } else {
      fs.writeFileSync(dest, fill(fs.readFileSync(src, 'utf8'), values), { mode: fs.statSync(src).mode & 0o777 });
      written.push(path.relative(root, dest));
    }
  }
}

/** Creates `<parentDir>/<name>` from a template; refuses an existing directory. Returns the files written. */
export function createPlugin(name: string, options: CreateOptions): { dir: string; template: string; files: string[] } {
  const bad = pluginNameProblem(name);
  if (bad) throw new PluginToolError(shownPluginName(name), bad);
  const templatesDir = options.templatesDir ?? findTemplatesDir();
  const templates = listTemplates(templatesDir);
  const template = templates.find((t) => t.name === (options.template ?? DEFAULT_TEMPLATE));
  if (!template) {
    throw new PluginToolError(options.template ?? '', 'unknown template', `templates: ${templates.map((t) => t.name).join(', ')}`);
  }
  const dir = path.join(path.resolve(options.parentDir), name);
  if (fs.existsSync(dir)) throw new PluginToolError(dir, 'already exists', 'choose another name or remove that directory');
  const user = os.userInfo().username;
  const values: Record<string, string> = {
    __PLUGIN_NAME__: name,
    __VERSION__: options.version ?? '1.0.0',
    __SUMMARY__: options.summary ?? `${name}: ${template.summary}`,
    __LICENSE__: options.license ?? 'Proprietary',
    __URL__: options.url ?? `https://example.org/${name}`,
    __MAINTAINER__: options.maintainer ?? user,
    __VENDOR__: options.vendor ?? user,
  };
  values.__GENERAL_SECTION__ = generalSection(values);
  // __GENERAL_SECTION__ first: it contains the other placeholders' values, never the placeholders.
  const ordered = { __GENERAL_SECTION__: values.__GENERAL_SECTION__, ...values };
  const staging = `${dir}.creating-${process.pid}`;
  fs.mkdirSync(staging, { recursive: true });
  const files: string[] = [];
  try {
    copyTree(path.join(templatesDir, COMMON), staging, ordered, files, staging);
    copyTree(template.dir, staging, ordered, files, staging);
    fs.renameSync(staging, dir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { dir, template: template.name, files: files.sort() };
}
