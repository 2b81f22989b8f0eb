// Reload planning: the difference between two supervisor configurations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffConfigs } from '../../runtime/supervisor/config-diff';
import type { WatcherSpec } from '../../runtime/supervisor/watcher-spec';

function spec(name: string, overrides: Partial<WatcherSpec> = {}): WatcherSpec {
  return {
    name, kind: 'step', command: 'node', args: ['worker.js', name], cwd: '/w', env: { A: '1' }, numprocesses: 1,
    gracefulTimeout: 5, stopSignal: 'SIGTERM', maxAge: 0, maxAgeVariance: 0, priority: 50, autostart: true,
    logFile: `/h/log/${name}.log`, fingerprint: `fp-${name}`, ...overrides,
  };
}

const home = '/h';

test('added and removed watchers are listed by name', () => {
  const d = diffConfigs({ home, watchers: [spec('a'), spec('b')] }, { home, watchers: [spec('b'), spec('c')] });
  assert.deepEqual(d.added.map((s) => s.name), ['c']);
  assert.deepEqual(d.removed, ['a']);
  assert.deepEqual(d.unchanged, ['b']);
});

test('numprocesses alone is a rescale, not a restart', () => {
  const d = diffConfigs({ home, watchers: [spec('a'), spec('b')] }, { home, watchers: [spec('a', { numprocesses: 3 }), spec('b')] });
  assert.deepEqual(d.rescaled, [{ name: 'a', from: 1, to: 3 }]);
  assert.deepEqual(d.changed, []);
  assert.deepEqual(d.unchanged, ['b']);
});

test('a changed fingerprint (step code, config) restarts the watcher', () => {
  const d = diffConfigs({ home, watchers: [spec('a')] }, { home, watchers: [spec('a', { fingerprint: 'other' })] });
  assert.deepEqual(d.changed.map((s) => s.name), ['a']);
});

test('a changed command, argument or environment restarts the watcher even with the same fingerprint', () => {
  for (const change of [{ args: ['worker.js', 'x'] }, { env: { A: '2' } }, { gracefulTimeout: 9 }] as Partial<WatcherSpec>[]) {
    const d = diffConfigs({ home, watchers: [spec('a')] }, { home, watchers: [spec('a', change)] });
    assert.deepEqual(d.changed.map((s) => s.name), ['a'], JSON.stringify(change));
  }
});

test('autostart and priority changes and key order need no restart', () => {
  const reordered = Object.fromEntries(Object.entries(spec('a', { autostart: false, priority: 10 })).reverse()) as unknown as WatcherSpec;
  const d = diffConfigs({ home, watchers: [spec('a')] }, { home, watchers: [reordered] });
  assert.deepEqual(d.unchanged, ['a']);
});
