// conf_monitor's decisions on plain data: which file change regenerates the configuration, which restarts a step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyChange, planChanges } from '../../runtime/conf-monitor/classify';

const roots = { moduleConfig: '/ws/mfdata.ini', pluginRoots: ['/ws/plugins', '/h/var/plugins'], overridesDir: '/h/config/plugins' };
const specs = [
  { name: 'step.alpha.a', watchPaths: ['/ws/plugins/alpha'] },
  { name: 'step.alpha.b', watchPaths: ['/ws/plugins/alpha'] },
  { name: 'step.beta.main', watchPaths: ['/h/var/plugins/beta'] },
  { name: 'redis' },
];

test('mfdata.ini, a plugin config.ini, an override .ini and a plugin appearing or going away are configuration changes', () => {
  assert.equal(classifyChange('/ws/mfdata.ini', false, roots, specs).kind, 'config');
  assert.equal(classifyChange('/ws/plugins/alpha/config.ini', false, roots, specs).kind, 'config');
  assert.equal(classifyChange('/h/var/plugins/beta/config.ini', false, roots, specs).kind, 'config');
  assert.equal(classifyChange('/h/config/plugins/alpha.ini', false, roots, specs).kind, 'config');
  assert.equal(classifyChange('/ws/plugins/gamma', true, roots, specs).kind, 'config');
});

test('step code under a plugin restarts the watchers that run it', () => {
  assert.deepEqual(classifyChange('/ws/plugins/alpha/lib/util.ts', false, roots, specs), { kind: 'code', file: '/ws/plugins/alpha/lib/util.ts', watchers: ['step.alpha.a', 'step.alpha.b'] });
  assert.deepEqual(classifyChange('/h/var/plugins/beta/main.js', false, roots, specs), { kind: 'code', file: '/h/var/plugins/beta/main.js', watchers: ['step.beta.main'] });
});

test('editor droppings, node_modules, .git and files outside the plugins are ignored', () => {
  for (const f of ['/ws/plugins/alpha/.main.ts.swp', '/ws/plugins/alpha/main.ts~', '/ws/plugins/alpha/node_modules/x/index.js',
    '/ws/plugins/alpha/.git/HEAD', '/ws/README.md', '/ws/plugins/notes.txt', '/h/config/plugins/alpha.txt',
    // sed -i's temporary file, the archive `mfdata plugins build` writes into the plugin, its documentation.
    '/ws/plugins/alpha/sedwV0oh4', '/ws/plugins/alpha/alpha-1.0.0-1.plugin', '/ws/plugins/alpha/README.md']) {
    assert.equal(classifyChange(f, false, roots, specs).kind, 'ignore', f);
  }
});

test('a batch regenerates once and restarts each watcher once', () => {
  const plan = planChanges([
    classifyChange('/ws/plugins/alpha/a.ts', false, roots, specs),
    classifyChange('/ws/plugins/alpha/b.ts', false, roots, specs),
    classifyChange('/ws/plugins/alpha/config.ini', false, roots, specs),
    classifyChange('/ws/plugins/alpha/config.ini', false, roots, specs),
  ]);
  assert.equal(plan.regenerate, true);
  assert.deepEqual(plan.restart, ['step.alpha.a', 'step.alpha.b']);
  assert.deepEqual(plan.files, ['/ws/plugins/alpha/a.ts', '/ws/plugins/alpha/b.ts', '/ws/plugins/alpha/config.ini']);
});
