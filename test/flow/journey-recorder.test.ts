// The worker's leave events are built by concatenation (once per finished file): they must be the JSON of the event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JourneyRecorder } from '../../runtime/journey/recorder';
import { parseEvent } from '../../runtime/journey/events';

test('a leave event built by concatenation is the JSON of the event, whatever the names and uid', () => {
  const recorder = new JourneyRecorder({ enabled: true, keepSeconds: 60 }, async () => undefined);
  const cases: [string, string, string, number, boolean][] = [
    ['0123456789abcdef0123456789abcdef', 'plug', 'step', 0, false],
    ['0123456789abcdef0123456789abcdef', 'plug', 'step', 3, true],
    ['not hex "quoted" \\ uid', 'p "n":5', 's\n\u00e9\u{1F600}', 12, false], // a quote, `"n":` and unicode in names
    ['abc', 'other', 'step', 1, true], // another step: its prefix is encoded again
  ];
  for (const [uid, p, s, n, tagsWritten] of cases) {
    const json = recorder.leaveEvent(uid, p, s, n, 1_700_000_000_123, tagsWritten);
    const expected = { e: 'out', c: uid, p, s, n, t: 1_700_000_000_123, ...(tagsWritten ? {} : { tags: {} }) };
    assert.equal(json, JSON.stringify(expected));
    assert.deepEqual(parseEvent(json), expected);
    // The scripts read the step counter as the first "n": of the text.
    assert.equal(Number(/"n":(-?\d+)/.exec(json)?.[1]), n);
  }
});
