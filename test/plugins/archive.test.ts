// `.plugin` archives: build honours .releaseignore, the format is a real gzip tar, install is checked and atomic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { buildPluginArchive, readPluginArchive } from '../../runtime/plugins/archive';
import { installPlugin, uninstallPlugin } from '../../runtime/plugins/install';
import { writeTar, readTar, type TarEntry } from '../../runtime/plugins/tar';
import { isIgnored, parseIgnore } from '../../runtime/plugins/releaseignore';
import { PluginToolError } from '../../runtime/plugins/errors';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-plugins-'));
}

function writePlugin(dir: string): void {
  fs.mkdirSync(path.join(dir, 'lib'), { recursive: true });
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules/x'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'data/big'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.ini'), '[general]\n_version = 1.2.3\n_release = 4\n_summary = test plugin\n_license = MIT\n_url = https://example.org\n_maintainer = me\n_vendor = us\n\n[step_main]\n_step_module = main.ts\n');
  fs.writeFileSync(path.join(dir, 'main.ts'), 'export function process() { return true; }\n');
  fs.writeFileSync(path.join(dir, 'lib/util.ts'), 'export const x = 1;\n');
  fs.writeFileSync(path.join(dir, 'lib/notes.log'), 'ignored\n');
  fs.writeFileSync(path.join(dir, 'lib/keep.log'), 'kept by negation\n');
  fs.writeFileSync(path.join(dir, 'data/big/blob.bin'), 'x');
  fs.writeFileSync(path.join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
  fs.writeFileSync(path.join(dir, 'node_modules/x/index.js'), '');
  fs.writeFileSync(path.join(dir, 'old-0.1-1.plugin'), 'previous build');
  fs.writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(path.join(dir, '.releaseignore'), '# comment\n*.log\n!keep.log\n/data/\n');
}

test('.releaseignore: gitignore subset (basename patterns, anchors, directories, negation, **)', () => {
  const rules = parseIgnore('*.log\n!keep.log\n/build/\ndocs/**/*.tmp\ntest?\n');
  assert.ok(isIgnored(rules, 'a/b/c.log', false));
  assert.ok(!isIgnored(rules, 'a/keep.log', false));
  assert.ok(isIgnored(rules, 'build', true));
  assert.ok(!isIgnored(rules, 'build', false));
  assert.ok(!isIgnored(rules, 'src/build', true));
  assert.ok(isIgnored(rules, 'docs/x/y/z.tmp', false));
  assert.ok(isIgnored(rules, 'docs/z.tmp', false));
  assert.ok(isIgnored(rules, 'sub/test1', false));
  assert.ok(!isIgnored(rules, 'test12', false));
});

test('build writes <name>-<version>-<release>.plugin, a gzip tar rooted at metwork_plugin/ that tar(1) reads', () => {
  const ws = tmp();
  try {
    const dir = path.join(ws, 'plugins', 'demo');
    writePlugin(dir);
    const built = buildPluginArchive(dir, { home: path.join(ws, '.mfdata'), outputDir: path.join(ws, 'dist'), now: new Date('2024-01-02T03:04:05Z') });
    assert.equal(path.basename(built.file), 'demo-1.2.3-4.plugin');
    assert.deepEqual(built.files, ['.releaseignore', 'config.ini', 'lib/keep.log', 'lib/util.ts', 'main.ts', 'run.sh']);
    assert.equal(built.metadata.summary, 'test plugin');
    assert.equal(built.metadata.build_date, '2024-01-02T03:04:05.000Z');
    const listing = spawnSync('tar', ['-tzf', built.file], { encoding: 'utf8' });
    assert.equal(listing.status, 0, listing.stderr);
    const names = listing.stdout.trim().split('\n');
    assert.ok(names.every((n) => n.startsWith('metwork_plugin/')), names.join(','));
    assert.ok(names.includes('metwork_plugin/.metadata.json') && names.includes('metwork_plugin/.files.json'));
    assert.ok(!names.some((n) => n.includes('.git') || n.includes('node_modules') || n.endsWith('.plugin') || n.includes('data/')), names.join(','));
    // And an archive made by tar(1) reads back with our reader.
    const x = path.join(ws, 'x');
    fs.mkdirSync(x);
    assert.equal(spawnSync('tar', ['-xzf', built.file, '-C', x]).status, 0);
    assert.equal(spawnSync('tar', ['-czf', path.join(ws, 'gnu.plugin'), '-C', x, 'metwork_plugin']).status, 0);
    const again = readPluginArchive(path.join(ws, 'gnu.plugin'));
    assert.equal(again.metadata.name, 'demo');
    assert.equal(again.entries.find((e) => e.rel === 'run.sh')?.mode, 0o755);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('install extracts into <home>/var/plugins/<name>; refuses a second install without --force; --new-name renames', () => {
  const ws = tmp();
  try {
    const dir = path.join(ws, 'plugins', 'demo');
    writePlugin(dir);
    const home = path.join(ws, '.mfdata');
    const { file } = buildPluginArchive(dir, { home, outputDir: ws });
    const r = installPlugin(home, file);
    assert.equal(r.dir, path.join(home, 'var/plugins/demo'));
    assert.equal(fs.readFileSync(path.join(r.dir, 'lib/util.ts'), 'utf8'), 'export const x = 1;\n');
    assert.equal(fs.statSync(path.join(r.dir, 'run.sh')).mode & 0o777, 0o755);
    assert.throws(() => installPlugin(home, file), /already installed.*--force/);
    fs.writeFileSync(path.join(r.dir, 'stale.txt'), 'old');
    assert.equal(installPlugin(home, file, { force: true }).replaced, true);
    assert.ok(!fs.existsSync(path.join(r.dir, 'stale.txt')));
    const other = installPlugin(home, file, { newName: 'demo2' });
    assert.equal(JSON.parse(fs.readFileSync(path.join(other.dir, '.metadata.json'), 'utf8')).name, 'demo2');
    assert.throws(() => installPlugin(home, file, { newName: '../evil' }), /invalid plugin name '..\/evil'/);
    assert.deepEqual(fs.readdirSync(path.join(home, 'var/plugins')).sort(), ['demo', 'demo2'], 'no staging directory left behind');
    fs.mkdirSync(path.join(home, 'config/plugins'), { recursive: true });
    fs.writeFileSync(path.join(home, 'config/plugins/demo.ini'), '[custom]\n');
    const u = uninstallPlugin(home, 'demo', { clean: true });
    assert.ok(u.removedOverride);
    assert.deepEqual(fs.readdirSync(path.join(home, 'var/plugins')), ['demo2']);
    assert.throws(() => uninstallPlugin(home, 'demo'), /not installed/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

function evilArchive(ws: string, entries: TarEntry[]): string {
  const meta = { name: 'evil', version: '1', release: '1' };
  const file = path.join(ws, 'evil.plugin');
  const base: TarEntry[] = [
    { path: 'metwork_plugin/.metadata.json', type: 'file', mode: 0o644, mtime: 0, data: Buffer.from(JSON.stringify(meta)) },
    { path: 'metwork_plugin/.files.json', type: 'file', mode: 0o644, mtime: 0, data: Buffer.from('["config.ini"]') },
    { path: 'metwork_plugin/config.ini', type: 'file', mode: 0o644, mtime: 0, data: Buffer.from('[general]\n') },
  ];
  fs.writeFileSync(file, zlib.gzipSync(writeTar([...base, ...entries])));
  return file;
}

const evil: [string, TarEntry][] = [
  ["a '..' path", { path: 'metwork_plugin/../../escaped.txt', type: 'file', mode: 0o644, mtime: 0, data: Buffer.from('x') }],
  ['an absolute path', { path: '/tmp/mfdata-escaped.txt', type: 'file', mode: 0o644, mtime: 0, data: Buffer.from('x') }],
  ['a path outside metwork_plugin/', { path: 'other/file.txt', type: 'file', mode: 0o644, mtime: 0, data: Buffer.from('x') }],
  ['a symlink escaping the plugin', { path: 'metwork_plugin/link', type: 'symlink', mode: 0o777, mtime: 0, data: Buffer.alloc(0), linkTarget: '../../../etc' }],
  ['an absolute symlink', { path: 'metwork_plugin/link', type: 'symlink', mode: 0o777, mtime: 0, data: Buffer.alloc(0), linkTarget: '/etc/passwd' }],
];
for (const [what, entry] of evil) {
  test(`an archive with ${what} is refused and nothing is written`, () => {
    const ws = tmp();
    try {
      const home = path.join(ws, 'home');
      const file = evilArchive(ws, [entry]);
      assert.throws(() => installPlugin(home, file), (e: unknown) => e instanceof PluginToolError && /refused/.test(e.message));
      assert.ok(!fs.existsSync(path.join(home, 'var/plugins')) || fs.readdirSync(path.join(home, 'var/plugins')).length === 0);
      assert.ok(!fs.existsSync(path.join(ws, 'escaped.txt')));
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
}

test('an entry below a symlink is refused (a link inside the plugin cannot be used to write elsewhere)', () => {
  const ws = tmp();
  try {
    const file = evilArchive(ws, [
      { path: 'metwork_plugin/sub', type: 'symlink', mode: 0o777, mtime: 0, data: Buffer.alloc(0), linkTarget: 'lib' },
      { path: 'metwork_plugin/sub/x', type: 'file', mode: 0o644, mtime: 0, data: Buffer.from('x') },
    ]);
    assert.throws(() => readPluginArchive(file), /below a symbolic link/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('tar round trip keeps long paths (ustar prefix), modes and symlinks', () => {
  const long = `metwork_plugin/${'d'.repeat(90)}/${'f'.repeat(90)}.txt`;
  const back = readTar(writeTar([
    { path: long, type: 'file', mode: 0o640, mtime: 1700000000, data: Buffer.from('hello') },
    { path: 'metwork_plugin/l', type: 'symlink', mode: 0o777, mtime: 0, data: Buffer.alloc(0), linkTarget: 'x' },
  ]));
  assert.equal(back[0].path, long);
  assert.equal(back[0].mode, 0o640);
  assert.equal(back[0].data.toString(), 'hello');
  assert.equal(back[1].linkTarget, 'x');
});
