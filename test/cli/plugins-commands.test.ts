// Small command-line rules: plugin name length, a command group alone lists its commands, plugins build finds a
// workspace plugin by name before a directory, and usage lines name every option they list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commands } from '../../runtime/cli/commands';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { formatProblem } from '../../runtime/config/errors';
import { runCli, type CliRun } from '../helpers/cli';

function mfdata(...argv: string[]): Promise<CliRun> {
  return runCli(argv);
}

function workspace(t: { after(fn: () => void): void }): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-cli-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  return ws;
}

test('a plugin name has at most 64 characters: plugins create refuses a longer one with the rule, config check flags one', async (t) => {
  const ws = workspace(t);
  const long = 'a'.repeat(300);
  const r = await mfdata('--workspace', ws, 'plugins', 'create', long);
  assert.equal(r.code, 1);
  assert.equal(r.err, `mfdata: ${'a'.repeat(20)}…: plugin name too long (300 characters, at most 64)\n`);
  assert.ok(!fs.existsSync(path.join(ws, 'plugins')), 'nothing written');
  assert.equal((await mfdata('--workspace', ws, 'plugins', 'create', 'b'.repeat(64))).code, 0);

  fs.renameSync(path.join(ws, 'plugins', 'b'.repeat(64)), path.join(ws, 'plugins', 'c'.repeat(65)));
  const problems = loadRuntimeConfig({ workspace: ws, home: path.join(ws, '.mfdata'), env: {} }).problems.map(formatProblem);
  assert.ok(problems.includes(`${path.join(ws, 'plugins', 'c'.repeat(65), 'config.ini')}:1:1: error: plugin name too long (65 characters, at most 64) (rename the plugin directory)`), problems.join('\n'));
});

test('a command group alone (plugins, config, trash) lists its commands; an unknown one of the group says so', async () => {
  for (const group of ['plugins', 'config', 'trash']) {
    const r = await mfdata(group);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^Usage: mfdata ${group} <command> \\[options\\]\n`));
    for (const c of commands.filter((x) => x.path[0] === group)) assert.match(r.out, new RegExp(`^  ${c.path.join(' ')}\\s+\\S`, 'm'));
    assert.ok(!r.out.includes('start the runtime'), 'only the group, not every command');
  }
  assert.equal((await mfdata('plugins', '--help')).code, 0);
  const bogus = await mfdata('trash', 'bogus');
  assert.equal(bogus.code, 2);
  assert.match(bogus.err, /^mfdata: unknown command 'trash bogus'\n\nUsage: mfdata trash <command>/);
});

test('plugins build NAME takes the workspace plugin first, then a directory; neither names both places tried', async (t) => {
  const ws = workspace(t);
  assert.equal((await mfdata('--workspace', ws, 'plugins', 'create', 'mine')).code, 0);
  const built = await mfdata('--workspace', ws, 'plugins', 'build', 'mine', '-o', ws);
  assert.equal(built.code, 0, built.err);
  assert.match(built.out, /mine-1\.0\.0-1\.plugin/);
  const missing = await mfdata('--workspace', ws, 'plugins', 'build', 'nosuch');
  assert.equal(missing.code, 1);
  assert.equal(missing.err, `mfdata: nosuch: no plugin of that name in the workspace (${path.join(ws, 'plugins', 'nosuch')}) nor a plugin directory ${path.resolve('nosuch')} (no config.ini in either) (name a plugin of \`mfdata plugins list\`, or give the path of a directory holding config.ini)\n`);
});

test('every usage line names the options its command lists', () => {
  const missing = commands.flatMap((c) => c.options
    .filter((o) => !c.usage.includes(`--${o.name}`) && !(o.alias !== undefined && new RegExp(`(^| |\\[)-${o.alias}\\b`).test(c.usage)))
    .map((o) => `mfdata ${c.usage}: --${o.name}`));
  assert.deepEqual(missing, []);
});
