// The MFDATA default flow with real processes: incoming/ → guess_file_type → switch → plugins, gzip files through ungzip,
// and a switch rule change picked up by the running switch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { listFiles, startRuntime, waitFor, writeWorkspacePlugin } from './runtime-harness';

test('a gzip file dropped in incoming/ is recognised by system_magic, routed to ungzip, then to a plugin; rules change live', async () => {
  let out = '';
  const rt = await startRuntime((ws, root) => {
    out = path.join(root, 'out');
    fs.writeFileSync(path.join(ws, 'mfdata.ini'), '[internal_plugins]\ninstall_guess_file_type = 1\n\n[autorestart]\nflag = 0\n');
    writeWorkspacePlugin(ws, 'gunzip', [
      '[step_main]', '_step_module = builtin:ungzip', '',
      '[switch_rules:fnmatch:latest.guess_file_type.main.system_magic]', 'gzip compressed data* = main', '',
    ].join('\n'));
    writeWorkspacePlugin(ws, 'texts', [
      '[step_main]', '_step_module = builtin:move', `dest_dir = ${out}/main`, 'dest_basename = {ORIGINAL_BASENAME}', '',
      '[step_other]', '_step_module = builtin:move', `dest_dir = ${out}/other`, 'dest_basename = {ORIGINAL_BASENAME}', '',
      '[switch_rules:regex:latest.guess_file_type.main.system_magic]', '^(ASCII|Unicode text) = main', '',
    ].join('\n'));
    // Two hardlink-allowed targets: the first gets a hardlink, the last the original (same inode at both ends).
    writeWorkspacePlugin(ws, 'links', [
      '[step_a]', '_step_module = builtin:move', `dest_dir = ${out}/a`, '',
      '[step_b]', '_step_module = builtin:move', `dest_dir = ${out}/b`, '',
      '[step_c]', '_step_module = builtin:move', `dest_dir = ${out}/c`, '',
      '[switch_rules:fnmatch:first.core.original_basename]', 'linked_* = a*, b*', '',
      // A TypeScript function rule, and a rule whose target does not exist (a warning for config check).
      '[switch_rules:function]', 'rules.ts:isFnFile = c', '',
      '[switch_rules:alwaystrue]', '* = nosuch/step', '',
    ].join('\n'));
    fs.writeFileSync(path.join(ws, 'plugins/links/rules.ts'),
      "export function isFnFile(file: { tags: Record<string, string> }): boolean {\n  return (file.tags['first.core.original_basename'] ?? '').startsWith('fn_');\n}\n");
  });
  try {
    rt.drop(rt.home.incomingDir, 'report.txt.gz', zlib.gzipSync('temperature 21.5\n'));
    rt.drop(rt.home.incomingDir, 'plain.txt', 'hello\n');
    await waitFor(() => listFiles(out).length === 2, 'both files delivered to texts/main', 30000, rt.home.logDir);
    assert.deepEqual(listFiles(out), ['main/plain.txt', 'main/report.txt.gz']);
    assert.equal(fs.readFileSync(path.join(out, 'main/report.txt.gz'), 'utf8'), 'temperature 21.5\n', 'delivered uncompressed');

    // linked_x.bin matches only the links rule (binary data); unknown.bin matches nothing: no-match policy delete.
    rt.drop(rt.home.incomingDir, 'linked_x.bin', Buffer.from([0, 1, 2, 3, 250, 251]));
    rt.drop(rt.home.incomingDir, 'unknown.bin', Buffer.from([0, 1, 2, 3, 250, 251]));
    await waitFor(() => listFiles(out).includes('a/linked_x.bin') && listFiles(out).includes('b/linked_x.bin'), 'both hardlink targets', 30000, rt.home.logDir);
    rt.drop(rt.home.incomingDir, 'fn_y.bin', Buffer.from([0, 9, 250]));
    await waitFor(() => listFiles(out).includes('c/fn_y.bin'), 'the file routed by the function rule', 30000, rt.home.logDir);
    const switchLog = fs.readFileSync(path.join(rt.home.logDir, 'step_switch_main.log'), 'utf8');
    assert.match(switchLog, /plugins\/links\/config\.ini:\d+:1: warning: \[switch_rules:alwaystrue\] rule '\*' targets unknown step 'nosuch\/step'/, 'the bad rule is reported with file:line');
    const [a, b] = ['a', 'b'].map((d) => fs.statSync(path.join(out, d, 'linked_x.bin')));
    assert.equal(a.ino, b.ino, 'hardlink targets share the inode');
    await waitFor(() => listFiles(path.join(rt.home.inDir, 'tmp')).filter((f) => !f.includes('.workers')).length === 0
      && listFiles(path.join(rt.home.inDir, 'step.switch.main')).length === 0, 'unknown.bin to be handled', 30000, rt.home.logDir);
    assert.ok(!listFiles(out).some((f) => f.includes('unknown')), 'a file no rule matches is not delivered');
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'trash')), [], 'no-match policy delete keeps nothing');

    // Change the rule in config.ini and regenerate (as conf_monitor does): the running switch follows it.
    const ini = path.join(rt.workspace, 'plugins/texts/config.ini');
    fs.writeFileSync(ini, fs.readFileSync(ini, 'utf8').replace('^(ASCII|Unicode text) = main', '^(ASCII|Unicode text) = other'));
    rt.regenerate();
    await new Promise((r) => setTimeout(r, 1100));
    rt.drop(rt.home.incomingDir, 'later.txt', 'later\n');
    await waitFor(() => listFiles(out).includes('other/later.txt'), 'the file routed by the new rule', 30000, rt.home.logDir);
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'trash')), [], 'nothing failed');
  } finally {
    await rt.stop();
  }
});
