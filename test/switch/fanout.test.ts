// The fan-out of one file to N targets (zero/one/N targets, hardlink targets, failed transfers) and the no-match policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SwitchRuleTarget } from '../../runtime/config/model';
import { planFanOut, runFanOut, type TransferOp } from '../../runtime/switch/fanout';
import { noMatchPath, NoMatchPolicyError, parseNoMatchPolicy } from '../../runtime/switch/nomatch';

function t(spec: string): SwitchRuleTarget {
  const [plugin, step] = spec.replace(/\*$/, '').split('/');
  return { plugin, step, hardlinkAllowed: spec.endsWith('*') };
}
const ops = (plan: { target: SwitchRuleTarget; op: TransferOp }[]) => plan.map((p) => `${p.op}:${p.target.plugin}`);

const table: { name: string; targets: string[]; hardlinkPossible?: boolean; plan: string[] }[] = [
  { name: 'one target is a move', targets: ['a/main'], plan: ['move:a'] },
  { name: 'N targets: copies then a move', targets: ['a/main', 'b/main', 'c/main'], plan: ['copy:a', 'copy:b', 'move:c'] },
  { name: 'hardlink targets get hardlinks', targets: ['a/main*', 'b/main*', 'c/main*'], plan: ['hardlink:a', 'hardlink:b', 'move:c'] },
  { name: 'the last target is copied when it refuses hardlinks after a hardlink', targets: ['a/main*', 'b/main'], plan: ['hardlink:a', 'copy:b'] },
  { name: 'the last target is moved when no hardlink was made', targets: ['a/main', 'b/main'], plan: ['copy:a', 'move:b'] },
  { name: 'no hardlinks at all for a file owned by someone else', targets: ['a/main*', 'b/main'], hardlinkPossible: false, plan: ['copy:a', 'move:b'] },
];

for (const row of table) {
  test(`fan-out plan: ${row.name}`, async () => {
    const options = { hardlinkPossible: row.hardlinkPossible ?? true };
    assert.deepEqual(ops(planFanOut(row.targets.map(t), options)), row.plan);
    const done: string[] = [];
    const result = await runFanOut(row.targets.map(t), async (target, op) => { done.push(`${op}:${target.plugin}`); return true; }, options);
    assert.deepEqual(done, row.plan);
    assert.equal(result.allOk, true);
    assert.equal(result.originalMoved, row.plan[row.plan.length - 1].startsWith('move'));
  });
}

test('after a failed transfer the last target gets a copy, so the original stays for the failure policy', async () => {
  const done: string[] = [];
  const result = await runFanOut([t('a/main'), t('b/main'), t('c/main')], async (target, op) => {
    done.push(`${op}:${target.plugin}`);
    if (target.plugin === 'a') throw new Error('disk full');
    return true;
  }, { hardlinkPossible: true });
  assert.deepEqual(done, ['copy:a', 'copy:b', 'copy:c']);
  assert.equal(result.allOk, false);
  assert.equal(result.originalMoved, false);
  assert.equal((result.transfers[0].error as Error).message, 'disk full');
});

test('no-match policy: delete (default) or keep in trash/<switch>.nomatch/, under the uid or the original basename', () => {
  assert.equal(parseNoMatchPolicy(undefined), 'delete');
  assert.equal(parseNoMatchPolicy('keep'), 'keep');
  assert.throws(() => parseNoMatchPolicy('trash'), NoMatchPolicyError);
  assert.equal(noMatchPath('/in', 'switch', { uid: 'u1', originalBasename: 'a.txt' }, false), '/in/trash/switch.nomatch/u1');
  assert.equal(noMatchPath('/in', 'sw2', { uid: 'u1', originalBasename: '../a.txt' }, true), '/in/trash/sw2.nomatch/a.txt');
});
