// The runtime's per-step figures as the extension reads them: the types of runtime/stats/read.ts.
export type { SeriesOptions, SeriesPoint, StepFigures, StepRef, StepSeries, StepStats } from '../../runtime/stats/read';
