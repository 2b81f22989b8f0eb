// directory_observer.ini as MFDATA reads it: [common] inherited, inactive or incomplete sections skipped, filters.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ObserverConfigError, parseObserverConfig } from '../../runtime/observer/observer-config';
import { compileNameFilter } from '../../runtime/observer/name-filter';

test('sections inherit [common]; inactive and incomplete sections are skipped; the first Redis wins', () => {
  const cfg = parseObserverConfig([
    '[common]', 'redis_unix_socket = /run/r.sock', 'forced_poll = 300', 'active = true', '',
    '[a]', 'directory = /in/a/', 'queue = step.p.a', '',
    '[b]', 'active = false', 'directory = /in/b', 'queue = step.p.b', '',
    '[c]', 'directory = /in/c', '',
    '[d]', 'directory = /in/d', 'queue = step.p.d', 'forced_poll = 0', 'poll_queue_limit = 5', 'only = ^x',
  ].join('\n'), 'obs.ini');
  assert.deepEqual(cfg.redis, { socket: '/run/r.sock' });
  assert.deepEqual(cfg.sections.map((s) => [s.name, s.directory, s.queue, s.forcedPoll, s.pollQueueLimit]), [
    ['a', '/in/a', 'step.p.a', 300, 10000],
    ['d', '/in/d', 'step.p.d', 0, 5],
  ]);
  assert.equal(cfg.sections[1].filter('xyz'), true);
  assert.equal(cfg.sections[1].filter('yz'), false);
});

test('redis_server/redis_port when there is no socket; a bad regex names the file and line', () => {
  const cfg = parseObserverConfig('[common]\nredis_server = 10.0.0.1\nredis_port = 6380\nredis_unix_socket = null\n[a]\nactive = 1\ndirectory = /a\nqueue = q\n', 'o.ini');
  assert.deepEqual(cfg.redis, { host: '10.0.0.1', port: 6380 });
  assert.throws(() => parseObserverConfig('[a]\nactive = 1\ndirectory = /a\nqueue = q\nignore = ([\n', 'o.ini'),
    (err: unknown) => err instanceof ObserverConfigError && /^o\.ini:5: \[a\]: invalid ignore regular expression '\(\['/.test(err.message));
});

test('a duplicate key keeps its first value and a key[VARIANT] line is ignored, as config check reports them', () => {
  const cfg = parseObserverConfig([
    '[common]', 'redis_unix_socket = /run/r.sock', 'forced_poll = 5', 'forced_poll = 9', '',
    '[a]', 'active = 1', 'directory = /in/a', 'directory = /in/other', 'queue = step.p.a', 'queue[DEV] = step.p.dev',
  ].join('\n'), 'obs.ini');
  assert.deepEqual(cfg.sections.map((s) => [s.directory, s.queue, s.forcedPoll]), [['/in/a', 'step.p.a', 5]]);
});

test('the name filter: only, then ignore (matched at the start), .working always ignored', () => {
  const f = compileNameFilter('^.*$', '^.*\\.t$;^.*\\.tmp$');
  assert.deepEqual(['a.txt', 'a.t', 'a.tmp', 'a.working', 'a.t.x', '.hidden'].map(f), [true, false, false, false, true, true]);
  const g = compileNameFilter('data;csv', '');
  assert.deepEqual(['data1', 'x.csv', 'csv.x', 'b.working'].map(g), [true, false, true, false]);
});
