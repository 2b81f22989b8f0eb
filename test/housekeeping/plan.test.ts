// Specification of housekeeping's pure core: which files go, which stay, which queues are reported, on plain data.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { archiveRootsOf } from '../../runtime/housekeeping/archives';
import { classify, planArchive, planInbox, type FileEntry } from '../../runtime/housekeeping/plan';
import type { PluginConfig } from '../../runtime/config/model';

const IN = '/h/var/in';
const MIN = 60_000;
const NOW = 1_000_000 * MIN;
const limits = { trashMaxMs: 1440 * MIN, otherMaxMs: 360 * MIN };
const aged = (path: string, minutes: number): FileEntry => ({ path, mtimeMs: NOW - minutes * MIN });

test('paths under IN are claims (tmp), trash (by sub-directory) or queued (by top directory)', () => {
  assert.deepEqual(classify(IN, `${IN}/tmp/p.s/abc`), { kind: 'claim' });
  assert.deepEqual(classify(IN, `${IN}/trash/p.s/f`), { kind: 'trash', group: 'trash/p.s' });
  assert.deepEqual(classify(IN, `${IN}/trash/switch.nomatch/f`), { kind: 'trash', group: 'trash/switch.nomatch' });
  assert.deepEqual(classify(IN, `${IN}/step.p.s/f`), { kind: 'queued', group: 'step.p.s' });
  assert.deepEqual(classify(IN, `${IN}/incoming/sub/f`), { kind: 'queued', group: 'incoming' });
  assert.equal(classify(IN, '/elsewhere/f'), undefined);
});

test('trash files older than trash_max_lifetime go with their .tags file; younger ones stay', () => {
  const plan = planInbox(IN, [
    aged(`${IN}/trash/p.s/old`, 1441),
    aged(`${IN}/trash/p.s/old.tags`, 1000),
    aged(`${IN}/trash/p.s/young`, 1439),
    aged(`${IN}/trash/p.s/young.tags`, 1439),
    aged(`${IN}/trash/sw.nomatch/x`, 2000),
  ], NOW, limits);
  assert.deepEqual(plan.deletions, [
    { group: 'trash/p.s', reason: 'trash', paths: [`${IN}/trash/p.s/old`, `${IN}/trash/p.s/old.tags`] },
    { group: 'trash/sw.nomatch', reason: 'nomatch', paths: [`${IN}/trash/sw.nomatch/x`] },
  ]);
  assert.deepEqual(plan.stuck, []);
});

test('claims in IN/tmp are never deleted nor reported, whatever their age', () => {
  const plan = planInbox(IN, [aged(`${IN}/tmp/p.s/claim`, 1e6), aged(`${IN}/tmp/p.s/half.t`, 1e6)], NOW, limits);
  assert.deepEqual(plan, { deletions: [], stuck: [] });
});

test('queued files are never deleted: those older than other_max_lifetime are reported per directory with count and oldest age', () => {
  const plan = planInbox(IN, [
    aged(`${IN}/step.p.s/a`, 1e6),
    aged(`${IN}/step.p.s/b`, 400),
    aged(`${IN}/step.p.s/c`, 10),
    aged(`${IN}/incoming/d`, 361),
  ], NOW, limits);
  assert.deepEqual(plan.deletions, []);
  assert.deepEqual(plan.stuck, [
    { group: 'incoming', count: 1, oldestAgeMs: 361 * MIN },
    { group: 'step.p.s', count: 2, oldestAgeMs: 1e6 * MIN },
  ]);
});

test('*.t leftovers older than other_max_lifetime are deleted anywhere under IN but tmp', () => {
  const plan = planInbox(IN, [aged(`${IN}/incoming/f.t`, 361), aged(`${IN}/step.p.s/g.t`, 500), aged(`${IN}/incoming/h.t`, 359)], NOW, limits);
  assert.deepEqual(plan.deletions, [
    { group: 'incoming', reason: 'leftover-temp', paths: [`${IN}/incoming/f.t`] },
    { group: 'step.p.s', reason: 'leftover-temp', paths: [`${IN}/step.p.s/g.t`] },
  ]);
  assert.deepEqual(plan.stuck, []);
});

test('archive outputs older than the lifetime go with their tags file (the step\'s keep_tags_suffix)', () => {
  const root = { label: 'p/arch', dir: '/arch', lifetimeMs: 2 * 1440 * MIN, tagsSuffix: '.meta' };
  const deletions = planArchive(root, [
    aged('/arch/20260101/u1', 3 * 1440),
    aged('/arch/20260101/u1.meta', 1),
    aged('/arch/20260103/u2', 1440),
    aged('/other/u3', 1e6),
  ], NOW);
  assert.deepEqual(deletions, [{ group: '/arch', reason: 'archive-lifetime', paths: ['/arch/20260101/u1', '/arch/20260101/u1.meta'] }]);
  assert.deepEqual(planArchive({ ...root, lifetimeMs: 0 }, [aged('/arch/x', 1e6)], NOW), []);
});

test('archive steps are cleaned only with a lifetime and an absolute dest_dir outside IN', () => {
  const step = (name: string, options: Record<string, string>, stepModule = 'builtin:archive') => ({ name, stepModule, options }) as unknown as PluginConfig['steps'][number];
  const plugin = {
    name: 'p', configFile: '/ws/plugins/p/config.ini',
    steps: [
      step('kept', { dest_dir: '/arch/a', lifetime: '3' }),
      step('forever', { dest_dir: '/arch/b', lifetime: '0' }),
      step('inside', { dest_dir: `${IN}/archive`, lifetime: '1' }),
      step('above', { dest_dir: '/h', lifetime: '1' }),
      step('moved', { dest_dir: '/arch/c', lifetime: '1' }, 'builtin:move'),
    ],
  } as unknown as PluginConfig;
  const { roots, skipped } = archiveRootsOf([plugin], IN);
  assert.deepEqual(roots, [{ label: 'p/kept', dir: '/arch/a', lifetimeMs: 3 * 1440 * MIN, tagsSuffix: '.tags' }]);
  assert.deepEqual(skipped.map((s) => s.label), ['p/inside', 'p/above']);
  assert.match(skipped[0].reason, /overlaps the inbox root/);
});

test('a name reservation left in an inbox (a worker killed between its symlink and its rename) goes after a minute, never reported stuck', () => {
  const reserved = (path: string, minutes: number): FileEntry => ({ ...aged(path, minutes), reservation: true });
  const plan = planInbox(IN, [
    reserved(`${IN}/step.p.s/a.csv`, 2),
    reserved(`${IN}/step.p.s/b.csv`, 0.5),
    reserved(`${IN}/step.p.s/c.csv`, 1e6),
    aged(`${IN}/step.p.s/d.csv`, 2),
  ], NOW, limits);
  assert.deepEqual(plan.deletions, [{ group: 'step.p.s', reason: 'abandoned-reservation', paths: [`${IN}/step.p.s/a.csv`, `${IN}/step.p.s/c.csv`] }]);
  assert.deepEqual(plan.stuck, []);
});
