// The mflog record: what a valid record is, lenient parsing of what is on disk, and mflog's human rendering.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatTimestamp, parseRecord, recordOrigin, recordProblems, renderRecord, type LogRecord } from '../../runtime/log/record';

const base: LogRecord = {
  timestamp: '2026-11-27T20:41:56.355795Z',
  level: 'info',
  name: 'mfdata.ingest.convert',
  pid: 4242,
  event: 'file processed',
  plugin: 'ingest',
  step: 'convert',
};

test('a record with the six fixed keys and well-formed values has no problems', () => {
  assert.deepEqual(recordProblems(base), []);
});

test('problems name the key and what is wrong with it', () => {
  assert.deepEqual(recordProblems({ ...base, timestamp: '2026-11-27T20:41:56.355Z', level: 'WARN', pid: 0 }), [
    'timestamp "2026-11-27T20:41:56.355Z" is not ISO UTC with microseconds and Z',
    'level "WARN" is not one of debug/info/warning/error/critical',
    'pid is not a positive integer',
  ]);
  assert.deepEqual(recordProblems({ ...base, exception: 'Traceback' }), ['exception keys come together; only exception present']);
  const { plugin: _plugin, ...noPlugin } = base;
  assert.deepEqual(recordProblems(noPlugin), ["missing key 'plugin'"]);
  assert.deepEqual(recordProblems([1]), ['not a JSON object']);
});

test('parsing is lenient with foreign records but refuses lines that are not JSON objects with timestamp and event', () => {
  assert.equal(parseRecord('Traceback (most recent call last):'), undefined);
  assert.equal(parseRecord('{"broken": '), undefined);
  assert.equal(parseRecord('{"event": "no timestamp"}'), undefined);
  const r = parseRecord('{"timestamp":"2026-11-27T20:41:56.355795Z","event":"x","level":"WARN"}');
  assert.deepEqual(r, { timestamp: '2026-11-27T20:41:56.355795Z', event: 'x', level: 'warning', name: '', pid: 0, plugin: '#core#' });
});

test('rendering: timestamp, level right-aligned to 10, name#pid, message and sorted context keys', () => {
  const line = renderRecord({ ...base, queue: 'step.ingest.convert', file: '/in/a.txt', size: 12 });
  assert.equal(line, '2026-11-27T20:41:56.355795Z     [INFO] (mfdata.ingest.convert#4242) file processed {file=/in/a.txt queue=step.ingest.convert size=12}');
  assert.equal(renderRecord({ ...base, level: 'critical', step: undefined }).split(' ').slice(0, 2).join(' '), '2026-11-27T20:41:56.355795Z [CRITICAL]');
});

test('rendering an exception: the traceback follows on its own lines', () => {
  const line = renderRecord({ ...base, level: 'error', event: 'process failed', exception: 'Error: boom\n    at process (main.ts:3:9)\n', exception_type: 'Error', exception_file: 'main.ts' });
  assert.equal(line, '2026-11-27T20:41:56.355795Z    [ERROR] (mfdata.ingest.convert#4242) process failed\nError: boom\n    at process (main.ts:3:9)');
});

test('origin: plugin and step from the keys, else from an mfdata.<plugin>.<step> logger name', () => {
  assert.deepEqual(recordOrigin(base), { plugin: 'ingest', step: 'convert' });
  assert.deepEqual(recordOrigin({ ...base, plugin: '#core#', step: undefined, name: 'mfdata.p.s' }), { plugin: 'p', step: 's' });
  assert.deepEqual(recordOrigin({ ...base, plugin: '#core#', step: undefined, name: 'directory_observer' }), { plugin: undefined, step: undefined });
});

test('timestamps are written with six fractional digits', () => {
  assert.equal(formatTimestamp(new Date(Date.UTC(2026, 10, 27, 20, 41, 56, 355))), '2026-11-27T20:41:56.355000Z');
});
