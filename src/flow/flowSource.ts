// Where the flow view and the journey view read from: the runtime's Redis, through the views' shared connection,
// with the runtime's own readers (runtime/flow/read.ts). No vscode import.
import { readEdgeFiles, readFlow, readJourney } from '../../runtime/flow/read';
import { readJourneyGaps, type JourneyGap } from '../../runtime/journey/memory-guard';
import type { QueueInspector } from '../runtime/queues';
import type { EdgeFile, FlowGraph, Journey } from './contract';

export interface FlowSource {
  flow(): Promise<FlowGraph>;
  edgeFiles(from: string, to: string): Promise<EdgeFile[]>;
  journeys(uidOrName: string): Promise<Journey[]>;
  /** When journeys were paused or dropped (journey-gaps). */
  journeyGaps(): Promise<JourneyGap[]>;
}

/** How many recent files an edge click lists. */
const EDGE_FILES_SHOWN = 20;

/** `configuredSteps`: the runtime's `plugin/step`s (its generated configuration), to leave out removed plugins' unused edges. */
export function redisFlowSource(redis: Pick<QueueInspector, 'withRedis'>, configuredSteps: () => ReadonlySet<string> | undefined = () => undefined): FlowSource {
  return {
    flow: () => redis.withRedis('reading the flow graph (trace@* keys)', (r) => readFlow(r, { configuredSteps: configuredSteps() })),
    edgeFiles: (from, to) => redis.withRedis(`reading the recent files of ${from} → ${to}`, (r) => readEdgeFiles(r, from, to, EDGE_FILES_SHOWN)),
    journeys: (q) => redis.withRedis(`reading the journey of ${q}`, (r) => readJourney(r, q)),
    journeyGaps: () => redis.withRedis('reading when journeys were paused or dropped (journey-gaps)', (r) => readJourneyGaps(r)),
  };
}
