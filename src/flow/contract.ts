// The runtime's flow, journey and trash shapes as the extension uses them (contract with runtime/flow and runtime/trash).
// Kept here until those modules land on main; then this file only re-exports their types.
export interface FlowNode {
  /** `plugin/step`, `<dirname` for a source, `>trash/keep` style pseudo target. */
  id: string;
  kind: 'step' | 'source' | 'pseudo';
  plugin?: string;
  step?: string;
}
export interface FlowEdge {
  from: string;
  to: string;
  count: number;
  /** virtual: configured but unused (count 0). */
  kind: 'route' | 'error' | 'virtual';
}
export interface FlowGraph {
  since: string;
  until: string;
  nodes: FlowNode[];
  edges: FlowEdge[];
}
export interface EdgeFile {
  uid: string;
  name: string;
  at: number;
}
export interface JourneyStep {
  plugin: string;
  step: string;
  attempt: number;
  enteredAt: number;
  leftAt: number | null;
  outcome: string;
  to?: string;
  tagsSet: Record<string, string>;
}
export interface Journey {
  uid: string;
  originalName: string;
  steps: JourneyStep[];
  final: { outcome: 'done' | 'trash' | 'deleted' | 'moved' | 'in-progress' | 'gave-up'; where?: string };
}
export interface TrashEntry {
  plugin: string;
  step: string;
  name: string;
  path: string;
  size: number;
  mtime: number;
  tags: Record<string, string>;
}
