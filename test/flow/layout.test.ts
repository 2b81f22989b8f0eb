// The flow view's layout: every node and edge of the runtime's graph is placed, error edges keep their kind,
// ids are stable, and a live update that does not change the graph's shape keeps every position.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { FlowGraph } from '../../src/flow/contract';
import { flowShape, layoutFlow, nodeLabels } from '../../src/flow/layout';

function graph(counts: { main: number; archive: number; trash: number } = { main: 5, archive: 4, trash: 1 }): FlowGraph {
  return {
    since: '2026-11-28T00:00:00Z',
    until: '2026-11-28T01:00:00Z',
    nodes: [
      { id: '<incoming', kind: 'source' },
      { id: 'switch/main', kind: 'step', plugin: 'switch', step: 'main' },
      { id: 'normalize/main', kind: 'step', plugin: 'normalize', step: 'main' },
      { id: 'normalize/archive', kind: 'step', plugin: 'normalize', step: 'archive' },
      { id: '>trash/keep', kind: 'pseudo' },
    ],
    edges: [
      { from: '<incoming', to: 'switch/main', count: counts.main, kind: 'route' },
      { from: 'switch/main', to: 'normalize/main', count: counts.main, kind: 'route' },
      { from: 'normalize/main', to: 'normalize/archive', count: counts.archive, kind: 'route' },
      { from: 'normalize/main', to: '>trash/keep', count: counts.trash, kind: 'error' },
      { from: 'switch/main', to: 'normalize/archive', count: 0, kind: 'virtual' },
    ],
  };
}

test('every node and every edge of the graph is placed, edges as polylines between their nodes', () => {
  const g = graph();
  const l = layoutFlow(g);
  assert.deepEqual(l.nodes.map((n) => n.id).sort(), g.nodes.map((n) => n.id).sort());
  assert.deepEqual(l.edges.map((e) => `${e.from}->${e.to}`).sort(), g.edges.map((e) => `${e.from}->${e.to}`).sort());
  for (const n of l.nodes) {
    assert.ok(n.x - n.width / 2 >= 0 && n.x + n.width / 2 <= l.width, `${n.id} inside the drawing horizontally`);
    assert.ok(n.y - n.height / 2 >= 0 && n.y + n.height / 2 <= l.height, `${n.id} inside the drawing vertically`);
  }
  for (const e of l.edges) {
    assert.ok(e.points.length >= 2, `${e.id} has a path`);
    const from = l.nodes.find((n) => n.id === e.from)!;
    const to = l.nodes.find((n) => n.id === e.to)!;
    assert.ok(from.x < to.x, `${e.id} goes left to right (rankdir LR)`);
    const end = e.points[e.points.length - 1];
    assert.ok(Math.abs(end.x - (to.x - to.width / 2)) < 1, `${e.id} ends at the target's left border`);
  }
  // No two boxes overlap.
  for (const a of l.nodes) for (const b of l.nodes) {
    if (a === b) continue;
    const apart = Math.abs(a.x - b.x) * 2 >= a.width + b.width || Math.abs(a.y - b.y) * 2 >= a.height + b.height;
    assert.ok(apart, `${a.id} and ${b.id} do not overlap`);
  }
});

test('error and virtual edges keep their kind and their counts; ids name kind, source and target', () => {
  const l = layoutFlow(graph());
  const trash = l.edges.find((e) => e.to === '>trash/keep')!;
  assert.equal(trash.kind, 'error');
  assert.equal(trash.id, 'error:normalize/main->>trash/keep');
  assert.equal(trash.count, 1);
  assert.equal(l.edges.find((e) => e.kind === 'virtual')?.count, 0);
  assert.deepEqual(l.edges.filter((e) => e.kind === 'route').map((e) => e.count).sort(), [4, 5, 5]);
});

test('a live update with the same shape keeps every position and changes only counts and figures', () => {
  const first = layoutFlow(graph(), { figures: () => '0 processed' });
  const next = layoutFlow(graph({ main: 50, archive: 48, trash: 2 }), { previous: first, figures: (n) => (n.id === 'normalize/main' ? '50 processed' : undefined) });
  assert.equal(next.shape, first.shape);
  assert.deepEqual(next.nodes.map((n) => [n.id, n.x, n.y]), first.nodes.map((n) => [n.id, n.x, n.y]));
  assert.deepEqual(next.edges.map((e) => [e.id, e.points]), first.edges.map((e) => [e.id, e.points]));
  assert.equal(next.edges.find((e) => e.to === '>trash/keep')?.count, 2);
  assert.equal(next.nodes.find((n) => n.id === 'normalize/main')?.figures, '50 processed');
});

test('the same graph listed in another order gets the same geometry; a new edge changes the shape', () => {
  const g = graph();
  const shuffled: FlowGraph = { ...g, nodes: [...g.nodes].reverse(), edges: [...g.edges].reverse() };
  const a = layoutFlow(g);
  const b = layoutFlow(shuffled);
  assert.deepEqual(b.nodes, a.nodes);
  assert.deepEqual(b.edges, a.edges);
  const grown: FlowGraph = { ...g, edges: [...g.edges, { from: 'normalize/archive', to: '>trash/keep', count: 1, kind: 'error' }] };
  assert.notEqual(flowShape(grown), flowShape(g));
  const relaid = layoutFlow(grown, { previous: a });
  assert.ok(relaid.edges.some((e) => e.from === 'normalize/archive' && e.to === '>trash/keep'), 'the new edge is drawn');
});

test('a node an edge names but the graph does not list is added, so no counted traffic is dropped', () => {
  const g = graph();
  g.edges.push({ from: 'normalize/archive', to: '>delete/giveup', count: 3, kind: 'error' });
  const l = layoutFlow(g);
  const giveup = l.nodes.find((n) => n.id === '>delete/giveup');
  assert.equal(giveup?.kind, 'pseudo');
  assert.deepEqual([giveup?.label, giveup?.sublabel], ['delete', 'giveup']);
});

test('labels: a step shows step over plugin, a source its directory, a pseudo target what and how', () => {
  assert.deepEqual(nodeLabels({ id: 'normalize/main', kind: 'step', plugin: 'normalize', step: 'main' }), { label: 'main', sublabel: 'normalize' });
  assert.deepEqual(nodeLabels({ id: 'a/b', kind: 'step' }), { label: 'b', sublabel: 'a' });
  assert.deepEqual(nodeLabels({ id: '<step.normalize.main/', kind: 'source' }), { label: 'step.normalize.main', sublabel: 'source directory' });
  assert.deepEqual(nodeLabels({ id: '>trash/keep', kind: 'pseudo' }), { label: 'trash', sublabel: 'keep' });
});

test('an empty graph lays out to an empty drawing', () => {
  const l = layoutFlow({ since: '', until: '', nodes: [], edges: [] });
  assert.deepEqual([l.nodes, l.edges], [[], []]);
});
