// A handed-over step whose debugging window is gone must go back to its supervised workers: the lease file
// names the extension host holding the session.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RuntimeStatus, WatcherStatus } from '../../runtime/supervisor/protocol';
import { orphanedHandOvers, readLease, removeLease, writeLease } from '../../src/debug/leases';

function watcher(name: string, state: WatcherStatus['state']): WatcherStatus {
  return { name, kind: 'step', plugin: 'p', step: name.split('.')[2], state, numprocesses: 1, processes: [], restarts: 0 };
}

const status: RuntimeStatus = {
  home: '/h', pid: 1, version: '0', startedAt: 0, state: 'running',
  watchers: [watcher('step.p.live', 'handed_over'), watcher('step.p.dead', 'handed_over'), watcher('step.p.none', 'handed_over'), watcher('step.p.run', 'running')],
};

test('handed-over steps with no lease or a dead holder are orphans; a living holder and running steps are not', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-lease-'));
  try {
    writeLease(dir, 'step.p.live', 1111);
    writeLease(dir, 'step.p.dead', 2222);
    assert.equal(readLease(dir, 'step.p.live')?.pid, 1111);
    assert.deepEqual(orphanedHandOvers(status, dir, (pid) => pid === 1111).sort(), ['step.p.dead', 'step.p.none']);
    removeLease(dir, 'step.p.live');
    assert.equal(readLease(dir, 'step.p.live'), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('this process holds a lease it wrote (it is alive)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-lease-'));
  try {
    writeLease(dir, 'step.p.live');
    assert.ok(!orphanedHandOvers(status, dir).includes('step.p.live'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
