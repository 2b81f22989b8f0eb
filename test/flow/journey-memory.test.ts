// Journeys never fill Redis (runtime/journey/memory-guard.ts): over [journeys] max_memory_percent of maxmemory the
// workers stop recording them while the data path goes on, and housekeeping drops the oldest hours. Real Redis, with
// its maxmemory set under or over the share with CONFIG SET.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis, withRedis } from '../helpers/redis-server';
import { StepState } from '../../runtime/queue/step-state';
import { journalKey, journeyKey, journeyNamesKey, JOURNEY_NAME_HOURS_KEY, tagsKey } from '../../runtime/queue/keys';
import { describeJourneyGaps, JourneyMemoryGate, MEMORY_CHECK_MS, readJourneyGaps, redisMemory } from '../../runtime/journey/memory-guard';
import type { GateChange } from '../../runtime/journey/memory-guard';
import { Housekeeper } from '../../runtime/housekeeping/housekeeper';
import { makeHome, startWorker, waitFor, writePlugin, dropFile, listFiles } from '../datapath/harness';
import { encodeMessage, messageFor } from '../../runtime/queue/message';

const HOUR = 3_600_000;

/** Sets maxmemory so that Redis's current use is about `percent` of it. */
async function useAbout(r: Redis, percent: number): Promise<void> {
  const { used } = await redisMemory(r);
  await r.config('SET', 'maxmemory', String(Math.ceil((used * 100) / percent)));
}

function claimOf(name: string): { inboxPath: string; claimPath: string; uid: string } {
  const uid = randomBytes(16).toString('hex');
  return { inboxPath: `/h/var/in/step.p.s/${name}`, claimPath: `/h/var/in/tmp/p.s/${uid}`, uid };
}

test('the gate pauses at the share, resumes 10 points below it, and asks for the memory at most once a second', () => {
  let now = 0;
  const gate = new JourneyMemoryGate(50, () => now);
  assert.equal(gate.checkDue(), true);
  assert.equal(gate.checkDue(), false, 'asked just now');
  now += MEMORY_CHECK_MS - 1;
  assert.equal(gate.checkDue(), false);
  now += 1;
  assert.equal(gate.checkDue(), true);
  assert.equal(gate.report(499), undefined, '49.9 %: room');
  assert.deepEqual(gate.report(500), { paused: true, usedPercent: 50 });
  assert.equal(gate.report(420), undefined, '42 %: still paused (resumes under 40 %)');
  assert.deepEqual(gate.report(399), { paused: false, usedPercent: 39.9 });
  assert.equal(gate.report(-1), undefined, 'no maxmemory: never paused');
  assert.equal(gate.paused, false);
});

test('over the share, claims go on without journeys; with room again, journeys are recorded again', async () => {
  await withRedis(async (r) => {
    const state = new StepState(r, 'p', 's', { enabled: true, keepSeconds: 3600, maxMemoryPercent: 10 });
    const changes: GateChange[] = [];
    state.journey.onGateChange = (c) => changes.push(c);
    await useAbout(r, 40);

    const a = claimOf('a.txt');
    await state.recordClaims([a]); // this claim reports the memory use: the next ones are paused
    assert.equal(await r.exists(journalKey(a.uid)), 1, 'recorded before the report came back');
    assert.deepEqual(changes.map((c) => c.paused), [true]);
    assert.ok(changes[0].usedPercent >= 10, String(changes[0].usedPercent));
    assert.equal(state.journey.keep, 0);

    const b = claimOf('b.txt');
    const [rec] = await state.recordClaims([b]);
    assert.equal(rec.stepCounter, 0);
    assert.equal(await r.hget(tagsKey(b.claimPath), 'first.core.original_uid'), b.uid, 'the claim itself is recorded');
    assert.equal(await r.exists(journalKey(b.uid)), 0, 'no journey while paused');
    state.journey.leave(b.claimPath, { uid: b.uid, originalUid: b.uid, stepCounter: 0 }, 'p', 's', Date.now(), false);
    await state.journey.flushNow();
    assert.equal(await r.exists(journalKey(b.uid)), 0, 'nor a leave event');

    await r.config('SET', 'maxmemory', '0'); // no limit: nothing to guard
    await new Promise((res) => setTimeout(res, MEMORY_CHECK_MS + 50));
    await state.recordClaims([claimOf('c.txt')]); // reports: resumed from the next claim on
    assert.deepEqual(changes.map((c) => c.paused), [true, false]);
    // Both changes are kept in journey-gaps for `mfdata journey` (written without waiting: poll).
    for (const deadline = Date.now() + 5000; (await readJourneyGaps(r)).length < 2 && Date.now() < deadline;) await new Promise((res) => setTimeout(res, 20));
    const gaps = await readJourneyGaps(r);
    assert.deepEqual(gaps.map((g) => [g.e, g.worker]), [['resumed', `p/s#${process.pid}`], ['paused', `p/s#${process.pid}`]], 'newest first');
    assert.match(describeJourneyGaps(gaps)[0], /journeys paused by p\/s#\d+ \(Redis at [\d.]+ % of its maxmemory\)$/);
    assert.match(describeJourneyGaps(gaps)[1], /journeys resumed by p\/s#\d+$/, 'resumed: Redis has no maxmemory any more');
    const d = claimOf('d.txt');
    await state.recordClaims([d]);
    assert.equal(await r.exists(journalKey(d.uid)), 1, 'recorded again');
  });
});

test('a worker over the share logs the pause once and processes every file', async (t) => {
  const server = await startTestRedis();
  const client = new Redis({ path: server.socket });
  const home = makeHome();
  const plugin = writePlugin(home, 'm', [{ name: 'main', source: 'export function process() { return true; }\n' }]);
  const worker = startWorker(home, 'm', 'main', { MFDATA_REDIS_UNIX_SOCKET: server.socket, MFDATA_JOURNEYS_MAX_MEMORY_PERCENT: '5' });
  t.after(async () => {
    await worker.stop();
    client.disconnect();
    await server.stop();
    home.cleanup();
  });
  await waitFor('worker started', () => worker.records.some((r) => r.event === 'worker started'));
  await useAbout(client, 50);
  const inbox = plugin.steps[0].watchedDirectories[0];
  const push = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i++) {
      dropFile(inbox, `f${i}.txt`, 'x');
      await client.lpush('step.m.main', encodeMessage(messageFor(inbox, `f${i}.txt`, 'created')));
    }
    await waitFor('every file processed', () => listFiles(inbox).length === 0 && listFiles(path.join(home.home.inDir, 'tmp', 'm.main')).length === 0);
  };
  await push(0, 1); // its claim reports the memory use
  await push(1, 20);
  const paused = worker.records.filter((r) => String(r.event).startsWith('journeys paused'));
  assert.equal(paused.length, 1, JSON.stringify(worker.records.map((r) => r.event)));
  assert.equal(paused[0].level, 'warning');
  assert.equal(paused[0].max_memory_percent, 5);
  assert.ok(Number(paused[0].redis_used_percent) >= 5);
  // Only the first file (claimed before the report came back) has a journey.
  const hour = Math.floor(Date.now() / HOUR);
  const indexed = (await client.hkeys(journeyNamesKey(hour))).filter((k) => !k.includes('/'));
  assert.deepEqual(indexed, ['f0.txt']);
});

test('housekeeping over the share drops the journeys of the oldest hours, never the current one', async (t) => {
  await withRedis(async (r) => {
    const now = Date.now();
    const current = Math.floor(now / HOUR);
    // Journeys in journals (two files of one pop round share one), or recorded before journals (a list per file).
    const journeysOf = async (hour: number, names: string[], legacy = false): Promise<string[]> => {
      const uids: string[] = [];
      const round = randomBytes(12).toString('hex');
      for (const name of names) {
        const uid = round + randomBytes(4).toString('hex');
        uids.push(uid);
        const event = { e: 'in', c: uid, p: 'p', s: 's', n: 0, t: hour * HOUR, name, pad: 'x'.repeat(2000) };
        if (legacy) await r.rpush(journeyKey(uid), JSON.stringify(event));
        else await r.rpush(journalKey(uid), JSON.stringify({ ...event, u: uid }));
        // A second file under the same name: <name>/<k>, counted in <name>/.
        if (await r.hsetnx(journeyNamesKey(hour), name, uid)) continue;
        const k = await r.hincrby(journeyNamesKey(hour), `${name}/`, 1);
        await r.hset(journeyNamesKey(hour), `${name}/${k}`, uid);
      }
      await r.zadd(JOURNEY_NAME_HOURS_KEY, hour, String(hour));
      return uids;
    };
    const oldest = await journeysOf(current - 3, ['a.txt', 'a.txt', 'b.txt'], true);
    const older = await journeysOf(current - 2, ['c.txt', 'e.txt']);
    const recent = await journeysOf(current, ['d.txt']);
    const logged: { event: string; fields?: Record<string, unknown> }[] = [];
    const home = makeHome();
    t.after(() => home.cleanup());
    const keeper = (percent: number): Housekeeper => new Housekeeper({
      home: home.home.root, intervalMs: 60_000, limits: { trashMaxMs: HOUR, otherMaxMs: HOUR }, redis: r,
      log: (_level, event, fields) => logged.push({ event, fields }), now: () => now, journeysMaxMemoryPercent: percent,
    });

    await r.config('SET', 'maxmemory', '0');
    assert.equal((await keeper(1).runOnce()).journeysTrimmed, undefined, 'no maxmemory: nothing to guard');
    await useAbout(r, 30);
    assert.equal((await keeper(50).runOnce()).journeysTrimmed, undefined, 'under the share: nothing dropped');

    // Over the share (whatever goes, memory hardly moves here): every hour but the current one, and a gap recorded.
    await useAbout(r, 90);
    const report = await keeper(50).runOnce();
    assert.deepEqual(report.journeysTrimmed?.hours, [current - 3, current - 2]);
    assert.equal(report.journeysTrimmed?.journeys, 4, 'three lists of the oldest hour, one journal of the next');
    for (const uid of [...oldest, ...older]) assert.deepEqual([await r.exists(journeyKey(uid)), await r.exists(journalKey(uid))], [0, 0]);
    assert.equal(await r.exists(journalKey(recent[0])), 1, 'the current hour stays');
    assert.deepEqual(await r.zrange(JOURNEY_NAME_HOURS_KEY, 0, -1), [String(current)]);
    assert.equal(await r.exists(journeyNamesKey(current - 3)), 0);
    const warning = logged.find((l) => l.event.startsWith('housekeeping dropped the oldest journeys'));
    assert.equal(warning?.fields?.journeys, 4);
    const [gap] = await readJourneyGaps(r);
    assert.deepEqual([gap.e, gap.hours, gap.journeys, gap.t], ['dropped', [current - 3, current - 2], 4, now]);
    assert.match(describeJourneyGaps([gap])[0], /housekeeping dropped 4 journals of files first seen \d{4}-\d\d-\d\d \d\dh, \d{4}-\d\d-\d\d \d\dh \(Redis at [\d.]+ % of its maxmemory\)$/);

    // Over maxmemory itself (Redis refuses writes, the case this is for): dropping still works (no MULTI, only
    // commands that free memory); the gap cannot be recorded then, and the pass goes on.
    await r.config('SET', 'maxmemory', '0');
    const previous = await journeysOf(current - 1, ['f.txt']);
    await useAbout(r, 110);
    assert.deepEqual((await keeper(50).runOnce()).journeysTrimmed?.hours, [current - 1]);
    assert.equal(await r.exists(journalKey(previous[0])), 0);
    assert.equal((await readJourneyGaps(r)).length, 1, 'refused, not recorded');
  });
});
