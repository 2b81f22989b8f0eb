// Lays a flow graph out for the flow view: dagre (layered DAG layout) places plugins/steps as boxes and routes as
// polylines, left to right. Pure (no vscode): the host computes the geometry, the webview only draws it.
// Positions depend on the graph's shape only (its node and edge ids), never on counts, so a live update whose
// shape did not change keeps every box where it was.
import { graphlib, layout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import { nodeOf } from '../../runtime/flow/read';
import { movedToDir } from '../../runtime/queue/keys';
import type { FlowEdge, FlowGraph, FlowNode } from './contract';

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode {
  id: string;
  kind: FlowNode['kind'];
  /** First line: the step (or the directory, or the pseudo target). */
  label: string;
  /** Second line: the plugin, or what a source/pseudo node is. */
  sublabel: string;
  /** Live figures shown under the box (`12 processed · 1 failed`); not part of the shape. */
  figures?: string;
  plugin?: string;
  step?: string;
  /** Centre of the box. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  /** `<kind>:<from>-><to>`: stable across updates. */
  id: string;
  from: string;
  to: string;
  kind: FlowEdge['kind'];
  count: number;
  /** Drawn as a polyline through these points, the last one at the target's border. */
  points: Point[];
  /** Where the count is written. */
  label: Point;
}

export interface FlowLayout {
  since: string;
  until: string;
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  /** Identifies the graph's shape: two layouts with the same shape have the same geometry. */
  shape: string;
}

const NODE_HEIGHT = 44;
const CHAR_WIDTH = 8;
const MIN_NODE_WIDTH = 110;
const LABEL_BOX = { width: 44, height: 16 };

export function edgeId(e: Pick<FlowEdge, 'kind' | 'from' | 'to'>): string {
  return `${e.kind}:${e.from}->${e.to}`;
}

/** A sorted list of the node and edge ids: equal strings, equal geometry. */
export function flowShape(graph: Pick<FlowGraph, 'nodes' | 'edges'>): string {
  const nodes = graph.nodes.map((n) => n.id).sort();
  const edges = graph.edges.map(edgeId).sort();
  return JSON.stringify([nodes, edges]);
}

/** What a node's two lines say: `main` over `normalize`, `incoming` over `source`, `trash` over `keep`. */
export function nodeLabels(node: FlowNode): { label: string; sublabel: string } {
  if (node.kind === 'step') {
    const [plugin, step] = node.plugin && node.step ? [node.plugin, node.step] : splitOnce(node.id, '/');
    return { label: step, sublabel: plugin };
  }
  if (node.kind === 'source') return { label: node.id.replace(/^</, '').replace(/\/$/, '') || '(source)', sublabel: 'source directory' };
  const dir = movedToDir(node.id);
  if (dir) return { label: 'move', sublabel: dir };
  const [what, policy] = splitOnce(node.id.replace(/^>/, ''), '/');
  return { label: what, sublabel: policy ? `${policy}` : 'target' };
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

/**
 * Places every node and edge of the graph. With `previous` of the same shape, its geometry is kept and only
 * counts and figures change. Edges naming a node the graph does not list get that node (as a pseudo target),
 * so nothing the runtime counted is dropped from the picture.
 */
export function layoutFlow(graph: FlowGraph, options: { previous?: FlowLayout; figures?: (node: FlowNode) => string | undefined } = {}): FlowLayout {
  const nodes = completeNodes(graph);
  const complete = { ...graph, nodes };
  const shape = flowShape(complete);
  const previous = options.previous;
  if (previous && previous.shape === shape) {
    const counts = new Map(graph.edges.map((e) => [edgeId(e), e.count]));
    const byId = new Map(nodes.map((n) => [n.id, n]));
    return {
      ...previous,
      since: graph.since,
      until: graph.until,
      nodes: previous.nodes.map((n) => ({ ...n, figures: options.figures?.(byId.get(n.id)!) })),
      edges: previous.edges.map((e) => ({ ...e, count: counts.get(e.id) ?? e.count })),
    };
  }

  const g = new graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true, directed: true });
  g.setGraph({ rankdir: 'LR', nodesep: 28, edgesep: 14, ranksep: 70, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  // Sorted insertion: dagre's result depends on insertion order, and the runtime's order may vary.
  const sortedNodes = [...nodes].sort((a, b) => a.id.localeCompare(b.id));
  for (const n of sortedNodes) {
    const { label, sublabel } = nodeLabels(n);
    const width = Math.max(MIN_NODE_WIDTH, Math.ceil(Math.max(label.length, sublabel.length) * CHAR_WIDTH) + 24);
    g.setNode(n.id, { width, height: NODE_HEIGHT });
  }
  const sortedEdges = [...graph.edges].sort((a, b) => edgeId(a).localeCompare(edgeId(b)));
  for (const e of sortedEdges) {
    // Error and virtual edges weigh less, so the main route of the files is what goes straight.
    g.setEdge(e.from, e.to, { ...LABEL_BOX, labelpos: 'c', weight: e.kind === 'route' ? 2 : 1 }, edgeId(e));
  }
  layout(g);

  const placedNodes: PlacedNode[] = sortedNodes.map((n) => {
    const box = g.node(n.id);
    return { id: n.id, kind: n.kind, ...nodeLabels(n), plugin: n.plugin, step: n.step, figures: options.figures?.(n), x: round(box.x ?? 0), y: round(box.y ?? 0), width: box.width, height: box.height };
  });
  const placedEdges: PlacedEdge[] = sortedEdges.map((e) => {
    const label = g.edge(e.from, e.to, edgeId(e));
    const points = (label.points ?? []).map((p) => ({ x: round(p.x), y: round(p.y) }));
    const middle = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    return {
      id: edgeId(e),
      from: e.from,
      to: e.to,
      kind: e.kind,
      count: e.count,
      points,
      label: typeof label.x === 'number' && typeof label.y === 'number' ? { x: round(label.x), y: round(label.y) } : middle,
    };
  });
  const size = g.graph();
  return { since: graph.since, until: graph.until, width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0), nodes: placedNodes, edges: placedEdges, shape };
}

/** The graph's nodes plus any an edge names without the graph listing it. */
function completeNodes(graph: FlowGraph): FlowNode[] {
  const known = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const e of graph.edges) {
    for (const id of [e.from, e.to]) if (!known.has(id)) known.set(id, nodeOf(id));
  }
  return [...known.values()];
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
