// The metrics panel redraws only while visible: a ticker armed when shown, disarmed when hidden or
// disposed, never running two refreshes at once; and the message that carries a model to the webview.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LiveTicker } from '../../src/metrics/liveTicker';
import { metricsModel } from '../../src/metrics/metricsModel';
import { renderMessage } from '../../src/metrics/protocol';

async function until(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('visible: refreshes at once and then on the interval; hidden: no timer and no more refreshes', async () => {
  let refreshes = 0;
  const ticker = new LiveTicker(async () => void refreshes++, () => 20);
  assert.equal(ticker.live, false);
  ticker.setVisible(true);
  assert.equal(ticker.live, true);
  assert.equal(refreshes, 1, 'the first refresh does not wait for the interval');
  await until('three more refreshes', () => refreshes >= 4);
  ticker.setVisible(false);
  assert.equal(ticker.live, false);
  const stopped = refreshes;
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(refreshes, stopped, 'nothing runs while hidden');
  ticker.setVisible(true);
  ticker.setVisible(true);
  assert.equal(refreshes, stopped + 1, 'shown again: one refresh, one timer');
  ticker.dispose();
  assert.equal(ticker.live, false);
  ticker.setVisible(true);
  assert.equal(ticker.live, false, 'a disposed ticker never rearms');
});

test('a changed interval applies to the running timer at once; hidden, it arms nothing', async () => {
  let refreshes = 0;
  let interval = 600_000;
  const ticker = new LiveTicker(async () => void refreshes++, () => interval);
  ticker.intervalChanged();
  assert.equal(ticker.live, false, 'hidden: still no timer');
  ticker.setVisible(true);
  assert.equal(refreshes, 1);
  interval = 20;
  ticker.intervalChanged();
  assert.equal(refreshes, 1, 'the change itself refreshes nothing');
  await until('refreshes on the new interval', () => refreshes >= 3);
  ticker.dispose();
});

test('a refresh still running is shared, not doubled, and a failed one does not stop the next', async () => {
  let release: () => void = () => {};
  let calls = 0;
  const ticker = new LiveTicker(() => {
    calls++;
    if (calls === 2) return Promise.reject(new Error('redis gone'));
    return new Promise<void>((r) => (release = r));
  }, () => 60_000);
  const a = ticker.tick();
  const b = ticker.tick();
  assert.equal(calls, 1);
  release();
  await Promise.all([a, b]);
  await ticker.tick(); // rejects inside: swallowed
  void ticker.tick();
  assert.equal(calls, 3);
  release();
  ticker.dispose();
});

test('the render message carries escaped SVG per chart, the legend, the focus and the notice', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 5);
  const model = metricsModel([{ plugin: 'p', step: '<s>', points: [{ t: now - 5000, processed: 2, failed: 1, meanMs: 5, p95Ms: 9, bytes: 10 }] }], { now, minutes: 15, bucketSeconds: 10, focus: 'p.<s>' });
  const m = renderMessage(model, 'note');
  assert.deepEqual(m.charts.map((c) => c.title), ['Files per second (files/s)', 'Failed files per 10 s (files)', 'Processing time, mean (solid) and p95 (dashed) (ms)']);
  assert.ok(m.charts.every((c) => c.svg.startsWith('<svg') && !c.svg.includes('<s>')));
  assert.deepEqual(m.legend, [{ key: 'p.<s>', label: 'p/<s>', colour: 0, shown: true }]);
  assert.equal(m.focus, 'p.<s>');
  assert.equal(m.notice, 'note');
  assert.match(m.updated, /^\d\d:\d\d:\d\d$/);
});
