// The built-in step modules (`_step_module = builtin:<name>`), as step definitions the worker runs like user steps.
import type { StepDefinition } from '../api/types';
import type { BuiltinStep } from '../config/schema';
import type { BuiltinDeps, BuiltinFactory } from './builtin';
import { archiveStep, copyStep, deleteStep, moveStep } from './simple-steps';
import { forkStep, guessFileTypeStep } from './file-steps';
import { unbzip2Step, ungzipStep } from './uncompress';
import { switchStep } from './switch-step';
import { REINJECT_MODULE, reinjectStep } from './retry';
import { builtinName } from '../config/schema';

export const BUILTIN_FACTORIES: Readonly<Record<BuiltinStep, BuiltinFactory>> = {
  copy: copyStep,
  move: moveStep,
  archive: archiveStep,
  fork: forkStep,
  delete: deleteStep,
  ungzip: ungzipStep,
  unbzip2: unbzip2Step,
  switch: switchStep,
  guess_file_type: guessFileTypeStep,
};

/** The definition of a built-in step; throws BuiltinStepError (or a template error) when its options are unusable. */
export function createBuiltinStep(name: BuiltinStep, deps: BuiltinDeps): StepDefinition {
  return BUILTIN_FACTORIES[name](deps);
}

/** The built-in a `_step_module` names, including the generated `builtin:reinject`; undefined for a module file. */
export function resolveBuiltin(stepModule: string | undefined): BuiltinFactory | undefined {
  if (stepModule === REINJECT_MODULE) return reinjectStep;
  const name = builtinName(stepModule);
  return name ? BUILTIN_FACTORIES[name] : undefined;
}

export type { BuiltinDeps };
