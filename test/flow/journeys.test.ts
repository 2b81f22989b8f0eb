// Traces and journeys recorded by a real runtime: a plugin whose switch routes files to a step that succeeds, one that
// fails (trash), one that fails and is retried until it gives up, and a no-match policy; journeys can be turned off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { readEdgeFiles, readFlow, readJourney, type Journey } from '../../runtime/flow/read';
import { listFiles, startRuntime, waitFor, writeWorkspacePlugin, type TestRuntime } from '../steps/runtime-harness';
import { journalKey } from '../../runtime/queue/keys';

const GOOD = 4;
const BAD = 3;

function setup(moduleIni: string) {
  return (ws: string): void => {
    fs.writeFileSync(path.join(ws, 'mfdata.ini'), `[autorestart]\nflag = 0\n\n${moduleIni}`);
    writeWorkspacePlugin(ws, 'fl', [
      '[step_main]', '_step_module = builtin:switch', 'switch_name = fl', 'switch_no_match_policy = keep', '',
      '[step_ok]', '_step_module = ok.ts', '',
      '[step_bad]', '_step_module = bad.ts', 'failure_policy = keep', '',
      '[step_flaky]', '_step_module = bad.ts', 'retry_total = 2', 'retry_min_wait = 0.2', 'retry_max_wait = 0.5', '',
      '[switch_rules@fl:fnmatch:first.core.original_basename]', 'good* = ok', 'bad* = bad', 'retry* = flaky', '',
    ].join('\n'));
    fs.writeFileSync(path.join(ws, 'plugins/fl/ok.ts'),
      "export async function process(file: { path: string }, ctx: { setTag(f: unknown, k: string, v: string): Promise<void> }): Promise<boolean> {\n  await ctx.setTag(file, 'size', 'small');\n  return true;\n}\n");
    fs.writeFileSync(path.join(ws, 'plugins/fl/bad.ts'),
      "export async function process(file: { path: string }, ctx: { setTag(f: unknown, k: string, v: string): Promise<void> }): Promise<boolean> {\n  await ctx.setTag(file, 'why', 'broken');\n  return false;\n}\n");
  };
}

function injectAll(rt: TestRuntime): void {
  const inbox = path.join(rt.home.inDir, 'step.fl.main');
  for (let i = 0; i < GOOD; i++) rt.drop(inbox, `good-${i}.txt`, 'g');
  for (let i = 0; i < BAD; i++) rt.drop(inbox, `bad-${i}.txt`, 'b');
  rt.drop(inbox, 'retry-me.txt', 'r');
  rt.drop(inbox, 'other.txt', 'o');
}

/** Waits until the bad files, the given-up one and the no-match one are all kept, and nothing is held or queued. */
async function waitSettled(rt: TestRuntime): Promise<void> {
  const trash = path.join(rt.home.inDir, 'trash');
  // A .tags file is written under a temporary dot name first: count only the kept files themselves.
  const kept = (f: string): boolean => !f.endsWith('.tags') && !path.basename(f).startsWith('.');
  await waitFor(() => listFiles(trash).filter(kept).length === BAD + 2
    && listFiles(path.join(rt.home.inDir, 'tmp')).filter((f) => !f.includes('.workers')).length === 0, 'every file settled', 45000, rt.home.logDir);
}

function edgeCount(graph: Awaited<ReturnType<typeof readFlow>>, from: string, to: string): number | undefined {
  return graph.edges.find((e) => e.from === from && e.to === to)?.count;
}

test('edge counts equal the files injected, failure edges are errors, and every file has a journey that ends where it is', async () => {
  const rt = await startRuntime(setup('[journeys]\nkeep_hours = 2\n'));
  const redis = new Redis({ path: rt.home.redisSocket });
  try {
    injectAll(rt);
    await waitSettled(rt);
    // A file is placed (trash, next inbox) before its failure or leave event is written: wait for every journey to settle.
    const settled = async (name: string): Promise<Journey> => {
      const deadline = Date.now() + 45000;
      for (;;) {
        const [j] = await readJourney(redis, name);
        if (j && j.final.outcome !== 'in-progress') return j;
        assert.ok(Date.now() < deadline, `the journey of ${name} never settled: ${JSON.stringify(j)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const journeys = [await settled('good-0.txt')];
    for (let i = 0; i < BAD; i++) await settled(`bad-${i}.txt`);
    await settled('retry-me.txt');
    await settled('other.txt');
    const graph = await readFlow(redis);
    const total = GOOD + BAD + 2;
    assert.equal(edgeCount(graph, '<step.fl.main', 'fl/main'), total, 'inbound edge: every file injected');
    assert.equal(edgeCount(graph, 'fl/main', 'fl/ok'), GOOD);
    assert.equal(edgeCount(graph, 'fl/main', 'fl/bad'), BAD);
    assert.equal(edgeCount(graph, 'fl/main', 'fl/flaky'), 1);
    assert.equal(edgeCount(graph, 'fl/main', '>nomatch/keep'), 1);
    assert.equal(edgeCount(graph, 'fl/bad', '>trash/keep'), BAD);
    assert.equal(edgeCount(graph, 'fl/flaky', 'fl/flaky_reinject'), 3, 'every attempt failed into the reinject step (it gives up at the third)');
    assert.equal(edgeCount(graph, 'fl/flaky_reinject', 'fl/flaky'), 2, 'two retries');
    assert.equal(edgeCount(graph, 'fl/flaky', '>trash/keep'), 1, 'the give-up');
    const kind = (from: string, to: string): string | undefined => graph.edges.find((e) => e.from === from && e.to === to)?.kind;
    assert.equal(kind('fl/bad', '>trash/keep'), 'error');
    assert.equal(kind('fl/flaky', 'fl/flaky_reinject'), 'error');
    // The give-up is an error edge, but not one more failure: retry-me.txt failed 3 times (was counted 4).
    assert.equal(kind('fl/flaky', '>trash/keep'), 'error');
    assert.equal(await redis.get('failed.fl.flaky'), '3');
    assert.equal(kind('fl/main', 'fl/ok'), 'route');
    assert.equal(kind('fl/ok', '>trash/keep'), 'virtual', 'configured at start-up, never taken');
    assert.equal(edgeCount(graph, 'fl/ok', '>trash/keep'), 0);
    // Read as if plugin fl/ok had been removed since: its unused configured edge goes, the edges files took stay.
    const without = await readFlow(redis, { configuredSteps: new Set(graph.nodes.filter((n) => n.kind === 'step' && n.id !== 'fl/ok').map((n) => n.id)) });
    assert.equal(without.edges.some((e) => e.from === 'fl/ok' && e.to === '>trash/keep'), false);
    assert.equal(edgeCount(without, 'fl/main', 'fl/ok'), GOOD);
    assert.ok(graph.nodes.some((n) => n.id === '<step.fl.main' && n.kind === 'source'));
    assert.ok(graph.nodes.some((n) => n.id === 'fl/ok' && n.kind === 'step' && n.plugin === 'fl' && n.step === 'ok'));

    const recent = await readEdgeFiles(redis, 'fl/main', 'fl/bad');
    assert.deepEqual(recent.map((f) => f.name).sort(), Array.from({ length: BAD }, (_, i) => `bad-${i}.txt`));

    assert.deepEqual((await readJourney(redis, 'good-0.txt')).length, 1, 'one file of that name');
    const good = journeys[0];
    assert.deepEqual(good.steps.map((s) => [`${s.plugin}/${s.step}`, s.outcome]), [['fl/main', 'moved to fl/ok'], ['fl/ok', 'done']]);
    assert.deepEqual(good.steps[1].tagsSet, { size: 'small' });
    assert.ok(good.steps.every((s) => s.leftAt !== null && s.leftAt >= s.enteredAt));
    assert.deepEqual(good.final, { outcome: 'done', where: 'fl/ok' });
    assert.deepEqual((await readJourney(redis, good.uid)).map((j) => j.originalName), ['good-0.txt'], 'found by uid too');

    const [bad] = await readJourney(redis, 'bad-1.txt');
    assert.deepEqual(bad.steps.map((s) => [s.step, s.outcome]), [['main', 'moved to fl/bad'], ['bad', 'failed → keep']]);
    assert.deepEqual(bad.steps[1].tagsSet, { why: 'broken' });
    assert.deepEqual(bad.final, { outcome: 'trash', where: 'trash/fl.bad' });

    const [retried] = await readJourney(redis, 'retry-me.txt');
    assert.deepEqual(retried.steps.map((s) => [s.step, s.attempt, s.outcome]), [
      ['main', 0, 'moved to fl/flaky'],
      ['flaky', 0, 'failed → move to fl/flaky_reinject'],
      ['flaky_reinject', 0, 'retry scheduled (attempt 1)'],
      ['flaky', 1, 'failed → move to fl/flaky_reinject'],
      ['flaky_reinject', 1, 'retry scheduled (attempt 2)'],
      ['flaky', 2, 'failed → move to fl/flaky_reinject'],
      ['flaky_reinject', 2, 'gave up → keep'],
    ]);
    assert.equal(retried.final.outcome, 'gave-up');
    // The reinject step holds the file until its retry is put back (retry_min_wait = 0.2 s), a move the journey records.
    for (const s of retried.steps.filter((x) => x.step === 'flaky_reinject').slice(0, 2)) {
      assert.equal(s.to, 'fl/flaky');
      assert.ok(s.leftAt !== null && s.leftAt - s.enteredAt >= 190, `held until the retry was due: ${JSON.stringify(s)}`);
    }
    assert.equal((await readEdgeFiles(redis, 'fl/flaky_reinject', 'fl/flaky')).length, 2, 'the reinjected file is among the edge\'s recent files');

    const [other] = await readJourney(redis, 'other.txt');
    assert.deepEqual(other.final, { outcome: 'trash', where: 'nomatch' });

    const ttl = await redis.ttl(journalKey(good.uid));
    assert.ok(ttl > 0 && ttl <= 2 * 3600, `a journey expires after keep_hours (TTL ${ttl} s)`);
    // The name index: one hash per hour, listed in journey-names, living keep_hours after its hour (plus an hour).
    const hours = await redis.zrange('journey-names', 0, -1);
    assert.ok(hours.length >= 1 && hours.length <= 2, `one or two hours of index: ${hours.join(', ')}`);
    for (const h of hours) {
      const indexTtl = await redis.ttl(`journey-names@${h}`);
      assert.ok(indexTtl > 2 * 3600 && indexTtl <= 4 * 3600, `the name index of hour ${h} outlives the journeys of its hour (TTL ${indexTtl} s)`);
    }
  } finally {
    redis.disconnect();
    await rt.stop();
  }
});

test('with [journeys] enabled = 0 nothing is recorded but the traces', async () => {
  const rt = await startRuntime(setup('[journeys]\nenabled = 0\n'));
  const redis = new Redis({ path: rt.home.redisSocket });
  try {
    injectAll(rt);
    await waitSettled(rt);
    const graph = await readFlow(redis);
    assert.equal(edgeCount(graph, 'fl/main', 'fl/ok'), GOOD, 'traces are still counted');
    await new Promise((r) => setTimeout(r, 600)); // past the idle flush of leave events
    assert.deepEqual(await redis.keys('journey*'), []);
    assert.deepEqual(await redis.keys('edgefiles@*'), []);
    assert.deepEqual(await readJourney(redis, 'good-0.txt'), []);
  } finally {
    redis.disconnect();
    await rt.stop();
  }
});
