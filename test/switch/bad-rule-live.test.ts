// A switch rule with an invalid regex, live: `mfdata start` starts (the rule is a warning, not a plugin error),
// the running switch logs the rule with file:line and routes every file by the rules that compile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GENERAL, listFiles, RUNTIME_DIR, waitFor } from '../steps/runtime-harness';

function mfdata(ws: string, home: string, ...argv: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [path.join(RUNTIME_DIR, 'cli.js'), ...argv, '--workspace', ws, '--home', home], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('a bad-regex rule is logged with file:line and skipped; the good rules of the same switch keep routing', async () => {
  // Short root: the control and Redis unix socket paths must stay under 107 bytes.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mfsw-'));
  const ws = path.join(root, 'ws');
  const home = path.join(root, 'h');
  const out = path.join(root, 'out');
  const ini = path.join(ws, 'plugins/sink/config.ini');
  fs.mkdirSync(path.dirname(ini), { recursive: true });
  fs.writeFileSync(path.join(ws, 'mfdata.ini'), '[internal_plugins]\ninstall_switch = 1\n\n[autorestart]\nflag = 0\n');
  const lines = [
    '[step_bad]', '_step_module = builtin:move', `dest_dir = ${out}/bad`, 'dest_basename = {ORIGINAL_BASENAME}', '',
    '[step_texts]', '_step_module = builtin:move', `dest_dir = ${out}/texts`, 'dest_basename = {ORIGINAL_BASENAME}', '',
    '[step_reports]', '_step_module = builtin:move', `dest_dir = ${out}/reports`, 'dest_basename = {ORIGINAL_BASENAME}', '',
    '[switch_rules:regex:first.core.original_basename]',
    '^(report = bad',
    '^report_\\d+ = reports',
    '',
    '[switch_rules:fnmatch:first.core.original_basename]',
    '*.txt = texts',
    '',
  ];
  fs.writeFileSync(ini, GENERAL + lines.join('\n'));
  const badLine = GENERAL.split('\n').length - 1 + lines.indexOf('^(report = bad') + 1;
  try {
    const check = mfdata(ws, home, 'config', 'check');
    assert.equal(check.code, 0, `config check: ${check.out}${check.err}`);
    assert.match(check.out + check.err, new RegExp(`plugins/sink/config\\.ini:${badLine}:1: warning: rule ignored: invalid regular expression '\\^\\(report': Unterminated group, fix the pattern`));

    const start = mfdata(ws, home, 'start');
    assert.equal(start.code, 0, `mfdata start: ${start.out}${start.err}`);

    const incoming = path.join(home, 'var/in/incoming');
    for (const name of ['report_12.txt', 'report_x.bin', 'notes.txt']) {
      fs.mkdirSync(incoming, { recursive: true });
      fs.writeFileSync(path.join(incoming, `${name}.t`), name);
      fs.renameSync(path.join(incoming, `${name}.t`), path.join(incoming, name));
    }
    const logDir = path.join(home, 'log');
    // The exact names, not any three entries: a copy is written under `<name>.t` before its rename.
    const expected = ['reports/report_12.txt', 'texts/notes.txt', 'texts/report_12.txt'].join();
    await waitFor(() => listFiles(out).join() === expected, 'report_12.txt to reports and texts, notes.txt to texts', 60000, logDir);
    assert.deepEqual(listFiles(out), ['reports/report_12.txt', 'texts/notes.txt', 'texts/report_12.txt']);
    // report_x.bin would match '^(report' if it compiled; no other rule matches it: no-match policy delete.
    await waitFor(() => listFiles(incoming).length === 0 && listFiles(path.join(home, 'var/in/step.switch.main')).length === 0, 'the switch inbox drained', 30000, logDir);
    assert.ok(!listFiles(out).some((f) => f.startsWith('bad/')), 'the ignored rule routes nothing');

    const records = fs.readFileSync(path.join(logDir, 'step_switch_main.log'), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const ignored = records.filter((r) => r.event === 'switch rule ignored');
    assert.equal(ignored.length, 1, JSON.stringify(ignored));
    assert.equal(ignored[0].level, 'warning');
    assert.match(String(ignored[0].problem), new RegExp(`${ini.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${badLine}:1: warning: rule ignored: \\[switch_rules:regex:first\\.core\\.original_basename\\] invalid regular expression '\\^\\(report': Unterminated group, fix the pattern`));
  } finally {
    const stop = mfdata(ws, home, 'stop');
    fs.rmSync(root, { recursive: true, force: true });
    assert.equal(stop.code, 0, stop.err);
  }
});
