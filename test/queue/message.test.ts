// The MFDATA queue message and the Redis key names: the bytes peers exchange.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeMessage, encodeMessage, InvalidMessageError, messageFor } from '../../runtime/queue/message';
import { counterKey, latestKey, stepQueueKey, tagsKey, traceKey } from '../../runtime/queue/keys';

test('a message is encoded as Python json.dumps writes it', () => {
  assert.equal(
    encodeMessage({ directory: '/in/step.p.main', filename: 'café "x".txt', event: 'created', event_timestamp: 1732742400.25 }),
    '{"directory": "/in/step.p.main", "filename": "caf\\u00e9 \\"x\\".txt", "event": "created", "event_timestamp": 1732742400.25}',
  );
  assert.match(encodeMessage(messageFor('/d', 'f', 'exists', 1732742400000)), /"event_timestamp": 1732742400\.0\}$/);
});

test('decoding accepts MFDATA messages and round-trips names with newlines and unicode', () => {
  const msg = { directory: '/in/x', filename: 'a\nb 日本.txt', event: 'exists' as const, event_timestamp: 12.5 };
  assert.deepEqual(decodeMessage(encodeMessage(msg)), msg);
  assert.deepEqual(decodeMessage('{"directory": "/in/x/", "filename": "f"}').directory, '/in/x');
  assert.equal(decodeMessage('{"directory": "/in/x", "filename": "f", "event": "weird"}').event, 'created');
});

test('decoding refuses what cannot name a file', () => {
  for (const [raw, reason] of [
    ['not json', /not JSON/],
    ['[1,2]', /not a JSON object/],
    ['{"filename": "f"}', /no "directory"/],
    ['{"directory": "/d", "filename": "../etc/passwd"}', /no valid "filename"/],
    ['{"directory": "/d", "filename": ".."}', /no valid "filename"/],
    ['{"directory": "relative", "filename": "f"}', /not absolute/],
  ] as const) {
    assert.throws(() => decodeMessage(raw), (err: unknown) => err instanceof InvalidMessageError && reason.test(err.message), raw);
  }
});

test('key names follow MFDATA', () => {
  assert.equal(stepQueueKey('p', 's'), 'step.p.s');
  assert.equal(counterKey('p', 's'), 'counter.p.s');
  assert.equal(latestKey('p', 's'), 'latest.p.s');
  assert.equal(tagsKey('/in/f'), `xattr_${createHash('md5').update('/in/f').digest('hex')}`);
  assert.equal(traceKey('p/main', '>trash/keep', new Date('2026-11-27T23:59:59Z')), 'trace@2026-11-27~p/main~>trash/keep');
});
