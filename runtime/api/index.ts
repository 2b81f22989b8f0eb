// The step API plugin code imports as `mfdata`: its types, `defineStep` and the uncompressing wrappers of `process`.
// The worker serves this module from runtime/worker/step-loader.ts (API_MODULE_SOURCE): keep both in step.
import type { ProcessFunction, StepDefinition } from './types';

export type { StepFile, StepContext, StepLogger, StepDefinition, StepMetrics, RouteOptions, TagQuery, LogValue, Awaitable, Compression, ProcessFunction } from './types';

/** Declares a step module's step with full typing: `export const step = defineStep({ process(file, ctx) { … } })`. */
export function defineStep<T extends StepDefinition>(definition: T): T {
  return definition;
}

/** MFDATA's `@ungzip`: `process` gets the gunzipped file; a file that is not gzip is a warning and a failure, `process` is not called. */
export function ungzip(process: ProcessFunction): ProcessFunction {
  return (file, ctx) => ctx.uncompressed(file, 'gzip', true, (f) => process(f, ctx));
}

/** MFDATA's `@try_ungzip`: as `ungzip`, but a file that is not gzip reaches `process` as it is, silently. */
export function tryUngzip(process: ProcessFunction): ProcessFunction {
  return (file, ctx) => ctx.uncompressed(file, 'gzip', false, (f) => process(f, ctx));
}

/** MFDATA's `@unbzip2`: `process` gets the bunzipped file; a file that is not bzip2 is a warning and a failure, `process` is not called. */
export function unbzip2(process: ProcessFunction): ProcessFunction {
  return (file, ctx) => ctx.uncompressed(file, 'bzip2', true, (f) => process(f, ctx));
}

/** MFDATA's `@try_unbzip2`: as `unbzip2`, but a file that is not bzip2 reaches `process` as it is, silently. */
export function tryUnbzip2(process: ProcessFunction): ProcessFunction {
  return (file, ctx) => ctx.uncompressed(file, 'bzip2', false, (f) => process(f, ctx));
}
