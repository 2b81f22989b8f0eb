// `mfdata inject` hands a file to a step inbox through a `.t` name, copying or moving it, to main or the first step.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { defaultStep, injectCommand } from '../../runtime/cli/commands/inject';
import type { CliContext } from '../../runtime/cli/command';
import { listFiles, makeHome, writePlugin } from './harness';

function context(home: string, workspace: string): CliContext & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => { out += d; });
  stderr.on('data', (d) => { err += d; });
  return { home, workspace, stdout, stderr, out: () => out, err: () => err };
}

test('the default step is main, else the first step', () => {
  assert.equal(defaultStep(['a', 'main', 'b']), 'main');
  assert.equal(defaultStep(['first', 'second']), 'first');
  assert.equal(defaultStep([]), undefined);
});

test('inject copies by default, moves with --move, renames with --random-basename, and refuses unknown steps', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  writePlugin(h, 'p', [{ name: 'first', source: '' }, { name: 'second', source: '' }]);
  const src = path.join(h.dir, 'data.csv');
  fs.writeFileSync(src, 'a,b\n');
  const ctx = context(h.home.root, h.dir);
  assert.equal(await injectCommand.run({ positionals: [src], options: { plugin: 'p' } }, ctx), 0);
  const inbox = path.join(h.home.inDir, 'step.p.first');
  assert.deepEqual(listFiles(inbox), ['data.csv']);
  assert.equal(ctx.out().trim(), path.join(inbox, 'data.csv'));
  assert.ok(fs.existsSync(src), 'copied, not moved');

  assert.equal(await injectCommand.run({ positionals: [src], options: { plugin: 'p', step: 'second', move: true, 'random-basename': true } }, ctx), 0);
  const second = listFiles(path.join(h.home.inDir, 'step.p.second'));
  assert.equal(second.length, 1);
  assert.match(second[0], /^[0-9a-f]{32}$/);
  assert.ok(!fs.existsSync(src), 'moved');

  fs.writeFileSync(src, 'again');
  assert.equal(await injectCommand.run({ positionals: [src], options: { plugin: 'p', step: 'nope' } }, ctx), 1);
  assert.match(ctx.err(), /plugin 'p' has no step 'nope' \(steps: first, second\)/);
  assert.equal(await injectCommand.run({ positionals: [src], options: { plugin: 'ghost' } }, ctx), 1);
  assert.match(ctx.err(), /unknown plugin 'ghost'/);
  assert.deepEqual(listFiles(inbox).filter((n) => n.endsWith('.t')), []);
});

test('inject never replaces a file of the same name waiting in the inbox: the second gets name.<8 hex>, printed', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  writePlugin(h, 'p', [{ name: 'main', source: '' }]);
  const inbox = path.join(h.home.inDir, 'step.p.main');
  const src = path.join(h.dir, 'dup.txt');
  const ctx = context(h.home.root, h.dir);
  fs.writeFileSync(src, 'one');
  assert.equal(await injectCommand.run({ positionals: [src], options: { plugin: 'p' } }, ctx), 0);
  fs.writeFileSync(src, 'two');
  assert.equal(await injectCommand.run({ positionals: [src], options: { plugin: 'p' } }, ctx), 0);
  fs.writeFileSync(src, 'three');
  assert.equal(await injectCommand.run({ positionals: [src], options: { plugin: 'p', move: true } }, ctx), 0);
  assert.ok(!fs.existsSync(src), 'moved');

  const printed = ctx.out().trim().split('\n');
  assert.equal(printed[0], path.join(inbox, 'dup.txt'));
  for (const p of printed.slice(1)) assert.match(path.relative(inbox, p), /^dup\.[0-9a-f]{8}\.txt$/);
  assert.deepEqual(printed.map((p) => fs.readFileSync(p, 'utf8')), ['one', 'two', 'three']);
  assert.equal(listFiles(inbox).length, 3, 'nothing else left in the inbox (no .t, no placeholder)');
});

test('inject refuses a name the directory observer ignores, naming the filter; nothing is written', async (t) => {
  const h = makeHome();
  t.after(() => h.cleanup());
  writePlugin(h, 'p', [{ name: 'main', source: '' }]);
  const inbox = path.join(h.home.inDir, 'step.p.main');
  const ctx = context(h.home.root, h.dir);
  const tmpName = path.join(h.dir, 'half.t');
  fs.writeFileSync(tmpName, 'x');
  // Not generated yet: the filter of mfdata.ini (none here: the defaults).
  assert.equal(await injectCommand.run({ positionals: [tmpName], options: { plugin: 'p', move: true } }, ctx), 1);
  assert.match(ctx.err(), /the directory observer ignores the name 'half\.t' \(ignore pattern '\^\.\*\\\.t\$', \[directory_observer\] of .*mfdata\.ini\): it would never be processed\. Nothing was written: rename the file to a name the filter takes or pass --random-basename/);
  assert.ok(fs.existsSync(tmpName), 'not moved');
  assert.equal(await injectCommand.run({ positionals: [tmpName], options: { plugin: 'p', 'random-basename': true } }, ctx), 0);

  // The generated directory_observer.ini, as the running observer has it.
  fs.writeFileSync(path.join(h.home.configAutoDir, 'directory_observer.ini'), [
    '[common]', 'ignore = ^.*\\.t$', 'only = ^.*\\.csv$',
    '[step_p_main_1]', 'active = true', `directory = ${inbox}`, 'queue = step.p.main', '',
  ].join('\n'));
  const txt = path.join(h.dir, 'data.txt');
  fs.writeFileSync(txt, 'x');
  for (const options of [{ plugin: 'p' }, { plugin: 'p', 'random-basename': true }] as Record<string, string | boolean>[]) {
    assert.equal(await injectCommand.run({ positionals: [txt], options }, ctx), 1);
  }
  assert.match(ctx.err(), /ignores the name 'data\.txt' \(only filter '\^\.\*\\\.csv\$' \(matches none of it\), \[step_p_main_1\] of .*directory_observer\.ini, from \[directory_observer\] of mfdata\.ini\): .* rename the file to a name the filter takes\n/);
  assert.match(ctx.err(), /ignores the name '[0-9a-f]{32}'/);
  assert.equal(listFiles(inbox).length, 1, 'only the --random-basename file of the first part');
  const csv = path.join(h.dir, 'data.csv');
  fs.writeFileSync(csv, 'x');
  assert.equal(await injectCommand.run({ positionals: [csv], options: { plugin: 'p' } }, ctx), 0);
  assert.deepEqual(listFiles(inbox).filter((n) => n.endsWith('.t')), []);
});
