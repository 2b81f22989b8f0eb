// The flow graph and file journeys as the CLI and the extension see them (the contract of runtime/flow/read.ts).

export interface FlowNode {
  /** `plugin/step`, `<dirname` for a source, or a pseudo target such as `>trash/keep`. */
  id: string;
  kind: 'step' | 'source' | 'pseudo';
  plugin?: string;
  step?: string;
}

export interface FlowEdge {
  from: string;
  to: string;
  count: number;
  /** `virtual`: count 0, configured but not taken yet; `error`: recorded by a failure policy. */
  kind: 'route' | 'error' | 'virtual';
}

export interface FlowGraph {
  /** ISO dates of the period read. */
  since: string;
  until: string;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** One of the recent files that took an edge. */
export interface EdgeFile {
  /** first.core.original_uid: the key of its journey. */
  uid: string;
  /** first.core.original_basename. */
  name: string;
  /** Epoch ms. */
  at: number;
}

export interface JourneyStep {
  plugin: string;
  step: string;
  /** 0 for the first time the file entered this step, 1 for the second (a retry, a replay)… */
  attempt: number;
  /** Epoch ms of the claim. */
  enteredAt: number;
  /** Epoch ms the step let go of the file; null while it holds it. */
  leftAt: number | null;
  /** `done`, `moved to p/s`, `copied to p/s`, `failed → keep`, `retry scheduled (attempt n)`, `gave up → keep`, `in progress`… */
  outcome: string;
  /** Where the file went (a step, a pseudo target such as `>trash/keep`, a directory). */
  to?: string;
  /** Tags this step set, without the `<n>.<plugin>.<step>.` prefix (enter_step left out). */
  tagsSet: Record<string, string>;
  /**
   * An operator's action on the trash, not a step's work (enteredAt = leftAt = when): `replay`, the file was put back
   * into this step's inbox; `purge`, it was deleted from this step's trash.
   */
  kind?: 'step' | 'replay' | 'purge';
  /** The step counter (latest.core.step_counter) of this claim. */
  stepCounter?: number;
  /** Why the failure policy applied (failed outcomes). */
  reason?: string;
}

export interface Journey {
  uid: string;
  originalName: string;
  steps: JourneyStep[];
  final: { outcome: 'done' | 'trash' | 'deleted' | 'moved' | 'in-progress' | 'gave-up'; where?: string };
}

/** A file in a step's trash (failure policy keep), as `mfdata trash list` and the trash browser show it. */
export interface TrashEntry {
  plugin: string;
  step: string;
  name: string;
  path: string;
  size: number;
  mtime: number;
  /** From the `.tags` file next to it. */
  tags: Record<string, string>;
}

/** A step named as `plugin/step`. */
export interface StepRef {
  plugin: string;
  step: string;
}
