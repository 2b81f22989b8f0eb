// The views' refresh scheduler: an explicit refresh never settles on data loaded before it was asked for.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { RefreshManager, type RefreshTarget } from '../../src/views/refreshManager';

/** A tree view as RefreshManager sees it: visibility and its change event (hidden here, so no timer runs). */
function hiddenTarget(redraws: { count: number }): RefreshTarget {
  const view = { visible: false, onDidChangeVisibility: () => ({ dispose() {} }) } as unknown as vscode.TreeView<unknown>;
  return { view, refresh: () => void redraws.count++ };
}

const noEvents: vscode.Event<unknown> = () => ({ dispose() {} });

test('refreshNow() during a running load waits for one more load that starts after the call', async () => {
  const redraws = { count: 0 };
  const loads: Array<{ startedAt: number; finish: () => void }> = [];
  let clock = 0;
  const manager = new RefreshManager([hiddenTarget(redraws)], () => new Promise<void>((finish) => loads.push({ startedAt: ++clock, finish })), noEvents, () => 5);
  try {
    const first = manager.refreshNow();
    assert.equal(loads.length, 1);
    // The runtime changes now; a caller asks for a refresh while the first load is still reading.
    const askedAt = ++clock;
    const second = manager.refreshNow();
    const third = manager.refreshNow();
    let secondDone = false;
    void second.then(() => (secondDone = true));
    loads[0].finish();
    await first;
    await new Promise((r) => setImmediate(r));
    assert.equal(secondDone, false, 'the second caller is not answered with the first (stale) load');
    assert.equal(loads.length, 2, 'one more load, shared by every caller that asked meanwhile');
    assert.ok(loads[1].startedAt > askedAt, 'the extra load starts after the call');
    loads[1].finish();
    await Promise.all([second, third]);
    assert.equal(loads.length, 2);
    assert.equal(redraws.count, 2, 'the views redraw after each load');
  } finally {
    manager.dispose();
  }
});

test('refreshNow() with no load running loads once', async () => {
  const redraws = { count: 0 };
  let loads = 0;
  const manager = new RefreshManager([hiddenTarget(redraws)], async () => void loads++, noEvents, () => 5);
  try {
    await manager.refreshNow();
    await manager.refreshNow();
    assert.equal(loads, 2);
    assert.equal(redraws.count, 2);
  } finally {
    manager.dispose();
  }
});

test('a changed refresh interval applies to the running backstop timer at once, not at the next visibility change', async () => {
  const redraws = { count: 0 };
  const view = { visible: true, onDidChangeVisibility: () => ({ dispose() {} }) } as unknown as vscode.TreeView<unknown>;
  let seconds = 600;
  let loads = 0;
  const manager = new RefreshManager([{ view, refresh: () => void redraws.count++ }], async () => void loads++, noEvents, () => seconds);
  try {
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(loads, 1, 'visible: one load at once, the next one in 600 s');
    seconds = 0.02;
    manager.intervalChanged();
    assert.equal(loads, 1, 'the change itself loads nothing');
    const deadline = Date.now() + 5000;
    while (loads < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(loads >= 3, `loads every 20 ms now (${loads})`);
  } finally {
    manager.dispose();
  }
});
