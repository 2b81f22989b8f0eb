// What the claim and trace scripts record, against a real Redis: a new file's tags written at once, journey TTLs that
// follow the latest event, the name index by hour (and the per-name sets of earlier versions), events outside the scripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { withRedis } from '../helpers/redis-server';
import { StepState } from '../../runtime/queue/step-state';
import { journalKey, tagsKey } from '../../runtime/queue/keys';
import { readEdgeFiles, readJourney } from '../../runtime/flow/read';
import { appendJourneyEvent } from '../../runtime/journey/append';

const KEEP = 2400; // seconds: refreshed once the TTL falls more than KEEP/24 = 100 s below it
const HOUR = 3_600_000;

function claimOf(inboxPath: string): { inboxPath: string; claimPath: string; uid: string } {
  const uid = randomBytes(16).toString('hex');
  return { inboxPath, claimPath: `/h/var/in/tmp/p.s/${uid}`, uid };
}

test('a file that arrives without tags gets them in one write, and the worker is given exactly what Redis holds', async () => {
  await withRedis(async (r) => {
    const first = new StepState(r, 'p', 'first', { enabled: true, keepSeconds: KEEP });
    const fresh = claimOf('/h/var/in/step.p.first/a "quoted" \\ name.txt');
    const [rec] = await first.recordClaims([fresh]);
    assert.equal(rec.stepCounter, 0);
    assert.deepEqual(rec.tags, await r.hgetall(tagsKey(fresh.claimPath)), 'same fields and values as the hash');
    assert.deepEqual(Object.keys(rec.tags), Object.keys(await r.hgetall(tagsKey(fresh.claimPath))), 'in the same order');
    assert.equal(rec.tags['first.core.original_uid'], fresh.uid);
    assert.ok((await r.ttl(tagsKey(fresh.claimPath))) > 0);

    // The next step finds the tags at its inbox path: they move, the counter goes on, the previous step's tags are kept.
    await r.hset(tagsKey(fresh.claimPath), '0.p.first.kind', 'csv');
    const inbox2 = '/h/var/in/step.p.second/a.txt';
    await r.rename(tagsKey(fresh.claimPath), tagsKey(inbox2));
    const second = new StepState(r, 'p', 'second', { enabled: true, keepSeconds: KEEP });
    const c2 = claimOf(inbox2);
    const [rec2] = await second.recordClaims([c2]);
    assert.equal(rec2.stepCounter, 1);
    assert.equal(rec2.tags['first.core.original_uid'], fresh.uid, 'the original uid is kept');
    assert.equal(rec2.tags['0.p.first.kind'], 'csv');

    // The second step sets a tag and finishes: its leave event carries the tags it set, read back from the hash.
    await r.hset(tagsKey(c2.claimPath), '1.p.second.size', '3', 'latest.p.second.size', '3');
    second.journey.leave(c2.claimPath, { uid: c2.uid, originalUid: fresh.uid, stepCounter: 1 }, 'p', 'second', Date.now(), true);
    await second.journey.flushNow();

    const [journey] = await readJourney(r, fresh.uid);
    assert.deepEqual(journey.steps.map((s) => [s.step, s.stepCounter, s.outcome]), [['first', 0, 'in progress'], ['second', 1, 'done']]);
    assert.deepEqual(journey.steps[1].tagsSet, { size: '3' });
    assert.equal(journey.originalName, 'a "quoted" \\ name.txt', 'a name needing JSON escapes is stored intact');
    assert.deepEqual(journey.steps[0].tagsSet, { kind: 'csv' }, 'found by the next claim');
    const [edge] = await readEdgeFiles(r, '<step.p.first', 'p/first');
    assert.deepEqual(edge && { uid: edge.uid, name: edge.name }, { uid: fresh.uid, name: 'a "quoted" \\ name.txt' });
  });
});

test('a journey lives keep seconds after its latest claim, route or failure, not after its first event', async () => {
  await withRedis(async (r) => {
    const first = new StepState(r, 'p', 'first', { enabled: true, keepSeconds: KEEP });
    const c = claimOf('/h/var/in/step.p.first/long.txt');
    await first.recordClaims([c]);
    const key = journalKey(c.uid);
    const ttl = await r.ttl(key);
    assert.ok(ttl > KEEP - 5 && ttl <= KEEP, `created with keep (TTL ${ttl})`);

    // As if the file had waited (a retry, a slow step) for 1,000 s: a route refreshes the TTL.
    await r.expire(key, KEEP - 1000);
    await first.trace('p/second', new Date(), { tagPath: c.claimPath, claimUid: c.uid, originalUid: c.uid, name: 'long.txt' });
    assert.ok((await r.ttl(key)) > KEEP - 5, 'refreshed by the route');

    // Within the slack (50 s below keep) nothing is rewritten: the TTL stays as it was.
    await r.expire(key, KEEP - 50);
    await first.trace('p/second', new Date(), { tagPath: c.claimPath, claimUid: c.uid, originalUid: c.uid, name: 'long.txt' });
    const kept = await r.ttl(key);
    assert.ok(kept <= KEEP - 50 && kept > KEEP - 60, `not refreshed within the slack (TTL ${kept})`);

    // A claim by a later step, two hours later: refreshed, and the name indexed again in that hour.
    await r.expire(key, KEEP - 1000);
    const inbox2 = '/h/var/in/step.p.second/long.txt';
    await r.rename(tagsKey(c.claimPath), tagsKey(inbox2));
    const later = Date.now() + 2 * HOUR;
    const c2 = claimOf(inbox2);
    await new StepState(r, 'p', 'second', { enabled: true, keepSeconds: KEEP }).recordClaims([c2], [], later);
    assert.ok((await r.ttl(key)) > KEEP - 5, 'refreshed by the claim');
    assert.equal(await r.hget(`journey-names@${Math.floor(later / HOUR)}`, 'long.txt'), c.uid);

    // A failure refreshes it too.
    await r.expire(key, KEEP - 1000);
    await first.traceFailure('>trash/keep', new Date(), { tagPath: c2.claimPath, claimUid: c2.uid, reason: 'bad' });
    assert.ok((await r.ttl(key)) > KEEP - 5, 'refreshed by the failure');
    assert.equal((await readJourney(r, 'long.txt')).length, 1, 'indexed twice, found once');
  });
});

test('the name index finds every file of a name over the hours, and the journeys of the earlier per-name sets', async () => {
  await withRedis(async (r) => {
    const state = new StepState(r, 'p', 'first', { enabled: true, keepSeconds: KEEP });
    const now = Date.now();
    const uids: string[] = [];
    // Three files named same.txt in one claim batch, one an hour earlier, one other name.
    const batch = [claimOf('/h/var/in/step.p.first/same.txt'), claimOf('/h/var/in/step.p.first/same.txt'), claimOf('/h/var/in/step.p.first/same.txt'), claimOf('/h/var/in/step.p.first/other.txt')];
    await state.recordClaims(batch, [], now);
    const earlier = claimOf('/h/var/in/step.p.first/same.txt');
    await state.recordClaims([earlier], [], now - HOUR);
    uids.push(...batch.slice(0, 3).map((c) => c.uid), earlier.uid);
    // Recorded by an earlier version: a set per name.
    const legacy = randomBytes(16).toString('hex');
    await r.sadd('journey-name@same.txt', legacy);
    await r.rpush(`journey@${legacy}`, JSON.stringify({ e: 'in', c: legacy, p: 'p', s: 'first', n: 0, t: now - 2 * HOUR, name: 'same.txt' }));
    uids.push(legacy);

    const found = await readJourney(r, 'same.txt');
    assert.deepEqual(found.map((j) => j.uid).sort(), [...uids].sort());
    assert.deepEqual(found.map((j) => j.uid).slice(0, 2), [legacy, earlier.uid], 'oldest first');
    assert.deepEqual((await readJourney(r, 'other.txt')).map((j) => j.uid), [batch[3].uid]);
    assert.deepEqual(await readJourney(r, 'missing.txt'), []);

    const hours = (await r.zrange('journey-names', 0, -1)).map(Number);
    assert.deepEqual(hours, [Math.floor((now - HOUR) / HOUR), Math.floor(now / HOUR)]);
    for (const h of hours) {
      const expireAt = Number(await r.call('EXPIRETIME', `journey-names@${h}`));
      assert.equal(expireAt, (h + 1) * 3600 + KEEP + 3600, 'an hour of index outlives the journeys created in it');
    }
  });
});

test('events written outside the scripts (a replay, a dead claim put back) follow the same TTL rules; journeys off writes nothing', async () => {
  await withRedis(async (r) => {
    const uid = randomBytes(16).toString('hex');
    await appendJourneyEvent(r, KEEP, uid, { e: 'replay', from: 'p/first', to: 'p/first', t: Date.now() }, 'x.txt');
    assert.ok((await r.ttl(journalKey(uid))) > KEEP - 5, 'created with keep');
    await r.expire(journalKey(uid), KEEP - 1000);
    await appendJourneyEvent(r, KEEP, uid, { e: 'replay', from: 'p/first', to: 'p/second', t: Date.now() }, 'x.txt');
    assert.ok((await r.ttl(journalKey(uid))) > KEEP - 5, 'refreshed');
    assert.deepEqual((await readJourney(r, 'x.txt')).map((j) => j.uid), [uid], 'indexed by name when refreshed');
    await appendJourneyEvent(r, 0, 'other', { e: 'replay', from: 'p/first', to: 'p/first', t: Date.now() });
    assert.deepEqual(await r.keys('journ*other'), []);
  });
});

test('an inbound edge remembers one file per claim batch (its latest), and every file that came alone', async () => {
  await withRedis(async (r) => {
    const state = new StepState(r, 'p', 'first', { enabled: true, keepSeconds: KEEP });
    const batch = ['x.txt', 'y.txt', 'z.txt'].map((n) => claimOf(`/h/var/in/step.p.first/${n}`));
    const other = claimOf('/h/var/in/drop/o.txt');
    await state.recordClaims([batch[0], other, batch[1], batch[2]]);
    const alone = claimOf('/h/var/in/step.p.first/w.txt');
    await state.recordClaims([alone]);
    assert.deepEqual((await readEdgeFiles(r, '<step.p.first', 'p/first')).map((e) => [e.uid, e.name]), [[alone.uid, 'w.txt'], [batch[2].uid, 'z.txt']]);
    assert.deepEqual((await readEdgeFiles(r, '<drop', 'p/first')).map((e) => e.name), ['o.txt'], 'one per edge of the batch');
    // Each file still has its journey and its name in the index.
    for (const c of [...batch, other, alone]) assert.equal((await readJourney(r, c.uid)).length, 1);
  });
});

test('the files of one pop round share a journal: one list, one TTL, and each journey has only its own events', async () => {
  await withRedis(async (r) => {
    const state = new StepState(r, 'p', 'first', { enabled: true, keepSeconds: KEEP });
    const round = randomBytes(12).toString('hex');
    const claims = ['one.txt', 'two.txt'].map((n, i) => ({ ...claimOf(`/h/var/in/step.p.first/${n}`), uid: `${round}0000000${i}` }));
    await state.recordClaims(claims);
    assert.equal(journalKey(claims[0].uid), journalKey(claims[1].uid));
    assert.equal(await r.llen(journalKey(claims[0].uid)), 2, 'both claim events in one list');
    assert.ok((await r.ttl(journalKey(claims[0].uid))) > KEEP - 5);
    await r.hset(tagsKey(claims[1].claimPath), '0.p.first.kind', 'b');
    state.journey.leave(claims[0].claimPath, { uid: claims[0].uid, originalUid: claims[0].uid, stepCounter: 0 }, 'p', 'first', Date.now(), false);
    state.journey.leave(claims[1].claimPath, { uid: claims[1].uid, originalUid: claims[1].uid, stepCounter: 0 }, 'p', 'first', Date.now(), true);
    await state.journey.flushNow();
    assert.equal(await r.llen(journalKey(claims[0].uid)), 4);
    for (const [i, c] of claims.entries()) {
      const [journey] = await readJourney(r, c.uid);
      assert.equal(journey.uid, c.uid);
      assert.deepEqual(journey.steps.map((s) => [s.step, s.outcome, s.tagsSet]), [['first', 'done', i === 0 ? {} : { kind: 'b' }]]);
    }
    assert.deepEqual((await readJourney(r, 'two.txt')).map((j) => j.uid), [claims[1].uid], 'found by name');
  });
});
