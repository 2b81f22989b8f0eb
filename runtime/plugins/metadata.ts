// A plugin's release metadata: read from its config.ini [general] section; the `.metadata.json` of a `.plugin` archive.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getEntry, getSection, parseIni } from '../config/ini-parser';
import { expandValue, expansionVariables } from '../config/expand';
import { PluginToolError } from './errors';

/** `.metadata.json`: MFDATA's keys plus `name` (so an archive says which plugin it holds). */
export interface PluginMetadata {
  name: string;
  version: string;
  release: string;
  build_host: string;
  build_date: string;
  /** Bytes of the files shipped (uncompressed). */
  size: number;
  summary: string;
  license: string;
  packager: string;
  vendor: string;
  url: string;
}

export type GeneralInfo = Pick<PluginMetadata, 'version' | 'release' | 'summary' | 'license' | 'vendor' | 'url'> & { maintainer: string };

/** Reads the `[general]` keys of `<dir>/config.ini`, expanding `{{VARS}}` (e.g. `{{MFMODULE_VERSION}}`). */
export function readGeneral(dir: string, name: string, home: string): GeneralInfo {
  const file = path.join(dir, 'config.ini');
  if (!fs.existsSync(file)) throw new PluginToolError(dir, 'no config.ini here', 'a plugin directory holds config.ini; create one with `mfdata plugins create NAME`');
  const doc = parseIni(fs.readFileSync(file), file);
  const general = getSection(doc, 'general');
  if (!general) throw new PluginToolError(file, 'no [general] section', 'add [general] with _version, _summary, _license, _url, _maintainer, _vendor');
  const vars = expansionVariables({ env: process.env, home, plugin: { name, dir } });
  const get = (key: string, def = ''): string => {
    const e = getEntry(general, key);
    if (!e) return def;
    const x = expandValue(e.value, vars);
    if (x.errors.length > 0) throw new PluginToolError(`${file}:${e.valueSpan.line}`, `${key}: ${x.errors[0].message}`);
    return x.value;
  };
  const version = get('_version');
  if (!/^[a-z0-9-_.]+$/.test(version)) {
    throw new PluginToolError(file, `_version '${version}' is missing or invalid`, 'write _version = 1.0.0 (letters a-z, digits, - _ .)');
  }
  return {
    version, release: get('_release', '1'), summary: get('_summary'), license: get('_license'),
    vendor: get('_vendor'), url: get('_url'), maintainer: get('_maintainer'),
  };
}

export function makeMetadata(name: string, general: GeneralInfo, size: number, now: Date): PluginMetadata {
  return {
    name, version: general.version, release: general.release, build_host: os.hostname(), build_date: now.toISOString(),
    size, summary: general.summary, license: general.license, packager: general.maintainer || os.userInfo().username,
    vendor: general.vendor, url: general.url,
  };
}

/** Checks a parsed `.metadata.json` has the keys install and info rely on. */
export function parseMetadata(json: unknown, subject: string): PluginMetadata {
  if (typeof json !== 'object' || json === null) throw new PluginToolError(subject, '.metadata.json is not a JSON object');
  const o = json as Record<string, unknown>;
  const s = (k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : typeof o[k] === 'number' ? String(o[k]) : '');
  if (s('version') === '') throw new PluginToolError(subject, '.metadata.json has no version');
  return {
    name: s('name'), version: s('version'), release: s('release') || '1', build_host: s('build_host'), build_date: s('build_date'),
    size: typeof o.size === 'number' ? o.size : Number(s('size')) || 0, summary: s('summary'), license: s('license'),
    packager: s('packager'), vendor: s('vendor'), url: s('url'),
  };
}
