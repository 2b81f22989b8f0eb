// A journey is assembled from its stored events: steps in order, outcomes, tags set, attempts and the final outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleJourney } from '../../runtime/journey/assemble';
import type { JourneyEvent } from '../../runtime/journey/events';
import { movedToDir, traceMoveToDir } from '../../runtime/queue/keys';
import { nodeLabels } from '../../src/flow/layout';

test('a file routed from one step to the next, then consumed, is done; each step shows the tags it set', () => {
  const events: JourneyEvent[] = [
    { e: 'in', c: 'c1', p: 'p', s: 'main', n: 0, t: 1000, name: 'a.txt' },
    { e: 'route', c: 'c1', p: 'p', s: 'main', op: 'move', to: 'p/next', t: 1005 },
    { e: 'out', c: 'c1', p: 'p', s: 'main', n: 0, t: 1006, tags: {} },
    { e: 'in', c: 'c2', p: 'p', s: 'next', n: 1, t: 1010, name: 'a.txt', pt: { 'p.main.kind': 'x', 'p.main.enter_step': 'ignored' } },
    { e: 'out', c: 'c2', p: 'p', s: 'next', n: 1, t: 1020, tags: { 'p.next.size': '3' } },
  ];
  const j = assembleJourney('u1', events);
  assert.equal(j.originalName, 'a.txt');
  assert.deepEqual(j.steps.map((s) => [`${s.plugin}/${s.step}`, s.outcome, s.enteredAt, s.leftAt]), [
    ['p/main', 'moved to p/next', 1000, 1006],
    ['p/next', 'done', 1010, 1020],
  ]);
  assert.deepEqual(j.steps[0].tagsSet, { kind: 'x' });
  assert.deepEqual(j.steps[1].tagsSet, { size: '3' });
  assert.deepEqual(j.final, { outcome: 'done', where: 'p/next' });
});

test('a retry put back into its step: the reinject step held the file until then, and the file waits in that inbox', () => {
  const events: JourneyEvent[] = [
    { e: 'in', c: 'a', p: 'p', s: 'main', n: 0, t: 100, name: 'f' },
    { e: 'fail', c: 'a', p: 'p', s: 'main', to: 'p/main_reinject', reason: 'process() returned false', t: 101 },
    { e: 'in', c: 'b', p: 'p', s: 'main_reinject', n: 1, t: 110, name: 'f' },
    { e: 'out', c: 'b', p: 'p', s: 'main_reinject', n: 1, t: 111, tags: { 'p.main_reinject.attempt': '1' } },
    { e: 'route', c: 'b', p: 'p', s: 'main_reinject', op: 'move', to: 'p/main', t: 5111 },
  ];
  const j = assembleJourney('u', events);
  assert.deepEqual(j.steps.map((s) => [s.step, s.outcome, s.leftAt, s.to]), [
    ['main', 'failed → move to p/main_reinject', 101, 'p/main_reinject'],
    ['main_reinject', 'retry scheduled (attempt 1)', 5111, 'p/main'],
  ]);
  assert.deepEqual(j.final, { outcome: 'in-progress', where: 'p/main' });
  // Scheduled, not put back yet: it waits for its retry.
  assert.deepEqual(assembleJourney('u', events.slice(0, 4)).final, { outcome: 'in-progress', where: 'waiting for a retry' });
});

test('a retried file shows every attempt, the scheduled retries, and the give-up', () => {
  const events: JourneyEvent[] = [
    { e: 'in', c: 'a', p: 'p', s: 'main', n: 0, t: 100, name: 'f' },
    { e: 'fail', c: 'a', p: 'p', s: 'main', to: 'p/main_reinject', reason: 'process() returned false', t: 101 },
    { e: 'in', c: 'b', p: 'p', s: 'main_reinject', n: 1, t: 110, name: 'f' },
    { e: 'out', c: 'b', p: 'p', s: 'main_reinject', n: 1, t: 111, tags: { 'p.main_reinject.attempt': '1' } },
    { e: 'in', c: 'c', p: 'p', s: 'main', n: 2, t: 200, name: 'x' },
    { e: 'fail', c: 'c', p: 'p', s: 'main', to: 'p/main_reinject', reason: 'process() returned false', t: 201 },
    { e: 'in', c: 'd', p: 'p', s: 'main_reinject', n: 3, t: 210, name: 'f' },
    { e: 'fail', c: 'd', p: 'p', s: 'main_reinject', to: '>trash/keep', giveup: true, reason: 'gave up after 1 retries', t: 211 },
  ];
  const j = assembleJourney('u', events);
  assert.deepEqual(j.steps.map((s) => [s.step, s.attempt, s.outcome]), [
    ['main', 0, 'failed → move to p/main_reinject'],
    ['main_reinject', 0, 'retry scheduled (attempt 1)'],
    ['main', 1, 'failed → move to p/main_reinject'],
    ['main_reinject', 1, 'gave up → keep'],
  ]);
  assert.equal(j.final.outcome, 'gave-up');
});

test('a step still holding the file makes the journey in progress; a trashed file ends in the trash', () => {
  const held = assembleJourney('u', [{ e: 'in', c: 'a', p: 'p', s: 'main', n: 0, t: 1, name: 'f' }]);
  assert.equal(held.steps[0].leftAt, null);
  assert.equal(held.final.outcome, 'in-progress');
  const trashed = assembleJourney('u', [
    { e: 'in', c: 'a', p: 'p', s: 'main', n: 0, t: 1, name: 'f' },
    { e: 'fail', c: 'a', p: 'p', s: 'main', to: '>trash/keep', reason: 'r', t: 2, tags: { 'p.main.why': 'bad' } },
  ]);
  assert.deepEqual(trashed.final, { outcome: 'trash', where: 'trash/p.main' });
  assert.deepEqual(trashed.steps[0].tagsSet, { why: 'bad' });
  assert.equal(trashed.steps[0].reason, 'r');
});

test('a failure moved to an absolute directory reads `>move/srv/failed` (no double slash) and shows the directory as /srv/failed; the older `>move//srv/failed` reads the same', () => {
  assert.equal(traceMoveToDir('/srv/failed'), '>move/srv/failed');
  assert.equal(movedToDir('>move/srv/failed'), '/srv/failed');
  assert.equal(movedToDir('>move//srv/failed'), '/srv/failed');
  assert.equal(movedToDir('>trash/keep'), undefined);
  for (const to of ['>move/srv/failed', '>move//srv/failed']) {
    const j = assembleJourney('u', [
      { e: 'in', c: 'a', p: 'p', s: 'main', n: 0, t: 1, name: 'f' },
      { e: 'fail', c: 'a', p: 'p', s: 'main', to, reason: 'r', t: 2 },
    ]);
    assert.deepEqual(j.final, { outcome: 'moved', where: '/srv/failed' }, to);
    assert.equal(j.steps[0].outcome, 'failed → move to /srv/failed', to);
  }
  assert.deepEqual(nodeLabels({ id: '>move/srv/failed', kind: 'pseudo' }), { label: 'move', sublabel: '/srv/failed' });
  assert.deepEqual(nodeLabels({ id: '>trash/keep', kind: 'pseudo' }), { label: 'trash', sublabel: 'keep' });
});
