// The step API plugin code imports as `mfdata`: its types and `defineStep`.
import type { StepDefinition } from './types';

export type { StepFile, StepContext, StepLogger, StepDefinition, StepMetrics, RouteOptions, TagQuery, LogValue, Awaitable } from './types';

/** Declares a step module's step with full typing: `export const step = defineStep({ process(file, ctx) { … } })`. */
export function defineStep<T extends StepDefinition>(definition: T): T {
  return definition;
}
