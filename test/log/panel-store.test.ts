// The log panel's model: filters over everything held, appends filtered incrementally, rows formatted on demand, a cap.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { LogEntry } from '../../runtime/log/entry';
import { EntryDecoder } from '../../runtime/log/entry';
import { EMPTY_FILTER, LogStore } from '../../src/logs/logStore';
import { channelLine } from '../../src/logs/channelLine';

function entries(): LogEntry[] {
  const d = new EntryDecoder('/h/log/step_p_s.log');
  const lines = [
    '{"timestamp":"2026-11-27T20:00:01.000001Z","level":"info","name":"mfdata.p.s","pid":5,"event":"file processed","plugin":"p","step":"s","file":"a.txt"}',
    '{"timestamp":"2026-11-27T20:00:02.000002Z","level":"error","name":"mfdata.p.s","pid":5,"event":"process failed","plugin":"p","step":"s","exception":"Error: boom\\n    at main.ts:3:9","exception_type":"Error","exception_file":"/w/plugins/p/main.ts:3"}',
    'Segmentation fault',
    '{"timestamp":"2026-11-27T20:00:03.000003Z","level":"debug","name":"mfdata.q.t","pid":6,"event":"details","plugin":"q","step":"t"}',
    '{"timestamp":"2026-11-27T20:00:04.000004Z","level":"warning","name":"directory_observer","pid":7,"event":"rescan","plugin":"#core#"}',
  ];
  return lines.map((l) => d.decode(l) as LogEntry);
}

test('level, plugin, step and text filters; a raw line belongs to the record before it', () => {
  const store = new LogStore();
  store.append(entries());
  assert.equal(store.total, 5);
  store.setFilter({ ...EMPTY_FILTER, level: 'error' });
  assert.deepEqual(store.rows(0, 10).map((r) => r.message), ['process failed', 'Segmentation fault']);
  store.setFilter({ ...EMPTY_FILTER, plugin: 'p', step: 's' });
  assert.equal(store.total, 3);
  store.setFilter({ ...EMPTY_FILTER, text: 'A.TXT' });
  assert.deepEqual(store.rows(0, 10).map((r) => r.message), ['file processed']);
  store.setFilter({ ...EMPTY_FILTER, text: '^.*\\[(DEBUG|WARNING)\\]', regex: true });
  assert.deepEqual(store.rows(0, 10).map((r) => r.message), ['details', 'rescan']);
  assert.throws(() => store.setFilter({ ...EMPTY_FILTER, text: '(', regex: true }), /invalid regular expression/);
  assert.equal(store.total, 2, 'a bad regex leaves the previous filter in place');
});

test('appending filters only the new entries; facets list the plugins and steps seen', () => {
  const store = new LogStore();
  store.setFilter({ ...EMPTY_FILTER, plugin: 'q' });
  assert.equal(store.append(entries()), 1);
  assert.deepEqual(store.facets(), { plugins: ['p', 'q'], steps: ['s', 't'] });
});

test('rows carry what the panel shows: time column, origin, context, exception and its file', () => {
  const store = new LogStore();
  store.append(entries());
  const [info, error, raw, , core] = store.rows(0, 5);
  assert.equal(info.time, '20:00:01.000001');
  assert.equal(info.origin, 'p/s');
  assert.equal(info.context, 'file=a.txt');
  assert.equal(error.exception, 'Error: boom\n    at main.ts:3:9');
  assert.equal(error.exceptionFile, '/w/plugins/p/main.ts:3');
  assert.equal(raw.raw, true);
  assert.equal(raw.file, 'step_p_s.log');
  assert.equal(core.origin, 'directory_observer');
  assert.equal(store.bySeq(error.seq)?.record?.event, 'process failed');
});

test('clear forgets the plugins and steps seen: after a home switch the filter offers only the new home\'s', () => {
  const store = new LogStore();
  const d = new EntryDecoder('a.log');
  const line = (plugin: string, step: string): LogEntry => d.decode(`{"timestamp":"2026-11-27T20:00:00.000001Z","level":"info","name":"x","pid":1,"event":"e","plugin":"${plugin}","step":"${step}"}`) as LogEntry;
  store.append([line('old', 'main')]);
  store.clear();
  assert.deepEqual(store.facets(), { plugins: [], steps: [] });
  store.append([line('new', 'archive')]);
  assert.deepEqual(store.facets(), { plugins: ['new'], steps: ['archive'] });
});

test('the store keeps the newest records up to its cap, and clear forgets everything', () => {
  const store = new LogStore(100);
  const d = new EntryDecoder('a.log');
  const many = Array.from({ length: 250 }, (_, i) => d.decode(`{"timestamp":"2026-11-27T20:00:00.${String(i).padStart(6, '0')}Z","level":"info","name":"x","pid":1,"event":"n${i}","plugin":"#core#"}`) as LogEntry);
  store.append(many);
  assert.ok(store.held <= 110);
  assert.equal(store.rows(store.total - 1, 1)[0].message, 'n249');
  const g = store.generation;
  store.clear();
  assert.equal(store.total, 0);
  assert.ok(store.generation > g);
});

test('the output channel gets mflog levels mapped to its own, with [plugin/step] as the category', () => {
  const [info, error, raw, debug, warning] = entries().map(channelLine);
  assert.deepEqual(info, { level: 'info', text: '[p/s] file processed {file=a.txt} (mfdata.p.s#5)' });
  assert.equal(error.level, 'error');
  assert.equal(error.text, '[p/s] process failed (mfdata.p.s#5)\nError: boom\n    at main.ts:3:9');
  assert.deepEqual(raw, { level: 'error', text: '[p/s] step_p_s.log: Segmentation fault' });
  assert.equal(debug.level, 'debug');
  assert.deepEqual(warning, { level: 'warn', text: '[directory_observer] rescan (directory_observer#7)' });
});
