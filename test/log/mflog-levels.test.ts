// The mflog logger's records and levels: the fixed fields with `plugin` (`#core#` for core processes), exception
// keys, per-logger overrides winning over a step's debug flag and MFLOG_MINIMAL_LEVEL.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createLogger } from '../../runtime/log/mflog';
import { parseOverrides } from '../../runtime/log/overrides';
import { recordProblems } from '../../runtime/log/record';

function capture(): { lines: Record<string, unknown>[]; write: (line: string) => void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

test('a core process logger writes valid records with plugin #core#; a step logger names its plugin and step', () => {
  const out = capture();
  createLogger('directory_observer', {}, { write: out.write, overrides: [] }).info('watching', { directory: '/in' });
  createLogger('mfdata.p.s', { plugin: 'p', step: 's' }, { write: out.write, overrides: [] }).exception('process failed', new TypeError('bad input'), { file: 'a' });
  for (const r of out.lines) assert.deepEqual(recordProblems(r), [], JSON.stringify(r));
  assert.equal(out.lines[0].plugin, '#core#');
  assert.deepEqual(Object.keys(out.lines[1]).sort(), ['event', 'exception', 'exception_file', 'exception_type', 'file', 'level', 'name', 'pid', 'plugin', 'step', 'timestamp']);
  assert.equal(out.lines[1].exception_type, 'TypeError');
});

test('levels: an override wins over debug=1, debug=1 over MFLOG_MINIMAL_LEVEL', () => {
  const out = capture();
  const overrides = parseOverrides('mfdata.p.quiet => ERROR');
  createLogger('mfdata.p.quiet', {}, { write: out.write, overrides, debug: true, minimalLevel: 'debug' }).warning('hidden');
  createLogger('mfdata.p.loud', {}, { write: out.write, overrides, debug: true, minimalLevel: 'error' }).debug('shown');
  createLogger('mfdata.p.other', {}, { write: out.write, overrides, minimalLevel: 'warning' }).info('hidden too');
  assert.deepEqual(out.lines.map((r) => r.event), ['shown']);
});

test('a context field named like a record key (name, pid, event…) is kept as ctx_<key>, never replacing the record\'s own', () => {
  const lines: string[] = [];
  const log = createLogger('mfdata.p.main', { plugin: 'p', step: 'main' }, { minimalLevel: 'debug', overrides: [], write: (l) => lines.push(l) });
  log.child({ pid: 1 }).info('file processed', { name: 'some-file.txt', event: 'other', level: 'x', timestamp: 't' });
  const record = JSON.parse(lines[0]) as Record<string, unknown>;
  assert.equal(record.name, 'mfdata.p.main');
  assert.equal(record.event, 'file processed');
  assert.equal(record.level, 'info');
  assert.equal(record.pid, process.pid);
  assert.match(String(record.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.deepEqual([record.ctx_name, record.ctx_event, record.ctx_level, record.ctx_timestamp, record.ctx_pid], ['some-file.txt', 'other', 'x', 't', 1]);
  assert.deepEqual(recordProblems(record), []);
});
