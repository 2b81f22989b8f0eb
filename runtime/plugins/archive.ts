// `.plugin` archives: build one from a plugin directory, and read one back with every path checked before use.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { readTar, TarFormatError, writeTar, type TarEntry } from './tar';
import { ALWAYS_IGNORED, isIgnored, parseIgnore, type IgnoreRule } from './releaseignore';
import { makeMetadata, parseMetadata, readGeneral, type PluginMetadata } from './metadata';
import { pluginNameProblem } from './names';
import { PluginToolError } from './errors';

/** Root directory of every `.plugin` archive (MFDATA's layout). */
export const ARCHIVE_ROOT = 'metwork_plugin';
/** Refuse to inflate archives beyond this: a plugin is code and small data, not a dataset. */
export const MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024;

export function archiveFileName(meta: Pick<PluginMetadata, 'name' | 'version' | 'release'>): string {
  return `${meta.name}-${meta.version}-${meta.release}.plugin`;
}

/** Files of a plugin directory that go into its archive (relative, `/`-separated, sorted), honouring `.releaseignore`. */
export function listReleaseFiles(dir: string): { rel: string; abs: string; stat: fs.Stats }[] {
  const ignoreFile = path.join(dir, '.releaseignore');
  const rules: IgnoreRule[] = [...ALWAYS_IGNORED, ...(fs.existsSync(ignoreFile) ? parseIgnore(fs.readFileSync(ignoreFile, 'utf8')) : []), ...ALWAYS_IGNORED];
  const out: { rel: string; abs: string; stat: fs.Stats }[] = [];
  const walk = (relDir: string): void => {
    for (const name of fs.readdirSync(path.join(dir, relDir)).sort()) {
      const rel = relDir ? `${relDir}/${name}` : name;
      const abs = path.join(dir, rel);
      const stat = fs.lstatSync(abs);
      if (isIgnored(rules, rel, stat.isDirectory())) continue;
      out.push({ rel, abs, stat });
      if (stat.isDirectory()) walk(rel);
    }
  };
  walk('');
  return out;
}

export interface BuiltArchive {
  file: string;
  metadata: PluginMetadata;
  files: string[];
}

/** Builds `<outputDir>/<name>-<version>-<release>.plugin` from a plugin directory. */
export function buildPluginArchive(dir: string, options: { name?: string; outputDir?: string; home: string; now?: Date }): BuiltArchive {
  const abs = path.resolve(dir);
  const name = options.name ?? path.basename(abs);
  const bad = pluginNameProblem(name);
  if (bad) throw new PluginToolError(abs, bad);
  const general = readGeneral(abs, name, options.home);
  const now = options.now ?? new Date();
  const mtime = Math.floor(now.getTime() / 1000);
  const entries: TarEntry[] = [{ path: ARCHIVE_ROOT, type: 'directory', mode: 0o755, mtime, data: Buffer.alloc(0) }];
  const files: string[] = [];
  let size = 0;
  for (const f of listReleaseFiles(abs)) {
    if (f.rel === '.metadata.json' || f.rel === '.files.json') continue;
    const p = `${ARCHIVE_ROOT}/${f.rel}`;
    const m = Math.floor(f.stat.mtimeMs / 1000);
    if (f.stat.isDirectory()) entries.push({ path: p, type: 'directory', mode: f.stat.mode & 0o777, mtime: m, data: Buffer.alloc(0) });
    else if (f.stat.isSymbolicLink()) entries.push({ path: p, type: 'symlink', mode: 0o777, mtime: m, data: Buffer.alloc(0), linkTarget: fs.readlinkSync(f.abs) });
    else if (f.stat.isFile()) {
      const data = fs.readFileSync(f.abs);
      size += data.length;
      files.push(f.rel);
      entries.push({ path: p, type: 'file', mode: f.stat.mode & 0o777, mtime: m, data });
    }
  }
  const metadata = makeMetadata(name, general, size, now);
  const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v, null, 2) + '\n');
  entries.push({ path: `${ARCHIVE_ROOT}/.metadata.json`, type: 'file', mode: 0o644, mtime, data: json(metadata) });
  entries.push({ path: `${ARCHIVE_ROOT}/.files.json`, type: 'file', mode: 0o644, mtime, data: json(files) });
  const outDir = path.resolve(options.outputDir ?? abs);
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, archiveFileName(metadata));
  // Written under a temporary name then renamed: a half-written archive never carries the final name.
  const tmp = `${file}.t`;
  fs.writeFileSync(tmp, zlib.gzipSync(writeTar(entries), { level: 9 }));
  fs.renameSync(tmp, file);
  return { file, metadata, files };
}

/** One checked entry, its path relative to the archive root. */
export interface PluginArchiveEntry extends TarEntry {
  rel: string;
}

export interface PluginArchive {
  file: string;
  metadata: PluginMetadata;
  files: string[];
  entries: PluginArchiveEntry[];
}

/** Why a stored path may not be extracted, or undefined when it is a plain relative path under the root. */
export function unsafePathReason(stored: string): string | undefined {
  if (stored.includes('\0')) return 'contains a NUL byte';
  if (stored.startsWith('/') || /^[A-Za-z]:[\\/]/.test(stored)) return 'is an absolute path';
  const parts = stored.replace(/^\.\//, '').split('/');
  if (parts.includes('..')) return "contains a '..' segment";
  if (parts[0] !== ARCHIVE_ROOT) return `is outside the archive root '${ARCHIVE_ROOT}/'`;
  return undefined;
}

/**
 * Reads and checks a `.plugin` file without writing anything. Refused: absolute paths, `..` segments,
 * entries outside `metwork_plugin/`, duplicate entries, entries below a symlink, symlinks pointing
 * outside the plugin, hardlinks/devices, a missing or inconsistent `.metadata.json`/`.files.json`.
 */
export function readPluginArchive(file: string): PluginArchive {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new PluginToolError(abs, 'no such file');
  let raw: Buffer;
  try {
    raw = zlib.gunzipSync(fs.readFileSync(abs), { maxOutputLength: MAX_UNCOMPRESSED_BYTES });
  } catch (err) {
    throw new PluginToolError(abs, `not a gzip-compressed plugin archive: ${err instanceof Error ? err.message : String(err)}`);
  }
  let tarEntries: TarEntry[];
  try {
    tarEntries = readTar(raw);
  } catch (err) {
    if (err instanceof TarFormatError) throw new PluginToolError(abs, err.message, 'rebuild the archive with `mfdata plugins build`');
    throw err;
  }
  const entries: PluginArchiveEntry[] = [];
  const seen = new Set<string>();
  const symlinks = new Set<string>();
  for (const e of tarEntries) {
    const reason = unsafePathReason(e.path);
    if (reason) throw new PluginToolError(abs, `refused: entry '${e.path}' ${reason}`, 'this archive could write outside the plugin directory; do not install it');
    const rel = e.path.replace(/^\.\//, '').split('/').filter((s) => s !== '' && s !== '.').slice(1).join('/');
    if (rel === '') continue;
    if (seen.has(rel)) throw new PluginToolError(abs, `refused: entry '${e.path}' appears twice`);
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (symlinks.has(parts.slice(0, i).join('/'))) throw new PluginToolError(abs, `refused: entry '${e.path}' lies below a symbolic link`);
    }
    if (e.type === 'symlink') {
      const target = e.linkTarget ?? '';
      // Resolved relative to the link's directory, without the clamping at '/' that an absolute join would do.
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(rel), target));
      if (target === '' || target.startsWith('/') || resolved === '.' || resolved === '..' || resolved.startsWith('../') || target.includes('\0')) {
        throw new PluginToolError(abs, `refused: symbolic link '${e.path}' -> '${target}' points outside the plugin`);
      }
      symlinks.add(rel);
    }
    seen.add(rel);
    entries.push({ ...e, rel });
  }
  const metaEntry = entries.find((e) => e.rel === '.metadata.json' && e.type === 'file');
  const filesEntry = entries.find((e) => e.rel === '.files.json' && e.type === 'file');
  if (!metaEntry || !filesEntry) throw new PluginToolError(abs, `not a plugin archive: ${ARCHIVE_ROOT}/.metadata.json or .files.json is missing`);
  let metaJson: unknown;
  let filesJson: unknown;
  try {
    metaJson = JSON.parse(metaEntry.data.toString('utf8'));
    filesJson = JSON.parse(filesEntry.data.toString('utf8'));
  } catch (err) {
    throw new PluginToolError(abs, `corrupt metadata: ${err instanceof Error ? err.message : String(err)}`);
  }
  const metadata = parseMetadata(metaJson, abs);
  if (!Array.isArray(filesJson) || !filesJson.every((f) => typeof f === 'string')) throw new PluginToolError(abs, '.files.json is not a list of paths');
  const fileSet = new Set(entries.filter((e) => e.type === 'file').map((e) => e.rel));
  const missing = (filesJson as string[]).filter((f) => !fileSet.has(f));
  if (missing.length > 0) throw new PluginToolError(abs, `incomplete archive: ${missing.length} listed file(s) missing, first '${missing[0]}'`);
  if (!fileSet.has('config.ini')) throw new PluginToolError(abs, 'not a plugin archive: config.ini is missing');
  return { file: abs, metadata, files: filesJson as string[], entries };
}
