// The runtime's flow, journey and trash shapes as the extension uses them (runtime/flow/types.ts is the contract).
export type { EdgeFile, FlowEdge, FlowGraph, FlowNode, Journey, JourneyStep, StepRef, TrashEntry } from '../../runtime/flow/types';
