// The step worker (dist/runtime/worker-main.js), run by its boot file: `node --max-semi-space-size=1 --expose-gc --single-threaded-gc dist/runtime/worker.js --home H --plugin P --step S`.
import * as path from 'node:path';
import { createLogger } from '../log/mflog';
import { createMetrics } from '../metrics/client';
import { metricsSettingsFromEnv } from '../metrics/settings';
import { resolveBuiltin } from '../steps';
import { compiledStepPath, loadStep, StepLoadError } from './step-loader';
import { StepWorker } from './step-worker';
import { loadWorkerConfig, parseWorkerArgs, WorkerConfigError } from './worker-config';
import { EXIT_CONFIG_ERROR, EXIT_STEP_LOAD_FAILED } from './exit-codes';
import { isOneShotArgs, oneShotMain } from '../debug/one-shot';
import { surfaceStepExceptions } from '../debug/surface-exceptions';
import { announceReady } from '../util/ready';
import { takeGc } from './idle-gc';
import { codeCacheState } from './code-cache';

async function main(): Promise<number> {
  // Before any step code runs: the step never sees V8's gc (present under --expose-gc, WORKER_NODE_FLAGS).
  const gc = takeGc();
  // MFDATA's debug mode (runtime/debug): one file, from a copy, no queue.
  if (isOneShotArgs(process.argv.slice(2))) return oneShotMain(process.argv.slice(2));
  let config;
  try {
    config = loadWorkerConfig(parseWorkerArgs(process.argv.slice(2)));
  } catch (err) {
    if (err instanceof WorkerConfigError) {
      process.stderr.write(`mfdata worker: ${err.message}\n`);
      return EXIT_CONFIG_ERROR;
    }
    throw err;
  }
  const { home, plugin, step } = config;
  const log = createLogger(`mfdata.${plugin.name}.${step.name}`, { plugin: plugin.name, step: step.name });
  const builtin = resolveBuiltin(step.stepModule);
  if (!builtin && !step.stepModulePath) {
    process.stderr.write(`mfdata worker: step ${plugin.name}/${step.name} has no step module file (${step.stepModule})\n`);
    return EXIT_CONFIG_ERROR;
  }
  let definition;
  try {
    // Built-in steps (runtime/steps) are step definitions like user modules: same worker, same claim and failure path.
    definition = builtin
      ? builtin({ home, plugin, step, redis: config.redis, log })
      : await loadStep(step.stepModulePath as string, compiledStepPath(home.tmpDir, plugin.name, step.name));
  } catch (err) {
    if (builtin) {
      process.stderr.write(`mfdata worker: built-in step ${step.stepModule} cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
      log.critical('built-in step cannot start', { builtin: step.stepModule, reason: err instanceof Error ? err.message : String(err) });
      return EXIT_CONFIG_ERROR;
    }
    if (err instanceof StepLoadError) {
      // One line the supervisor shows as the watcher's failure reason.
      process.stderr.write(`mfdata worker: step module failed to load: ${err.message}\n`);
      log.critical('step module failed to load', { file: err.location, reason: err.message });
      return EXIT_STEP_LOAD_FAILED;
    }
    throw err;
  }
  // Under the step debugger: a throw in step code is uncaught for V8, so "Uncaught Exceptions" stops at it.
  if (process.env.MFDATA_DEBUG_UNCAUGHT === '1') definition = surfaceStepExceptions(definition);
  const rescanTargets = (config.observer?.sections ?? [])
    .filter((s) => s.queue === `step.${plugin.name}.${step.name}`)
    .map((s) => ({ directory: s.directory, queue: s.queue, filter: s.filter, pollQueueLimit: s.pollQueueLimit }));
  // Sinks from MFDATA_METRICS_* (generated from [metrics] of mfdata.ini, as the Redis address is); none = no-op.
  const metrics = createMetrics(metricsSettingsFromEnv(process.env), plugin.name, step.name, (event, fields) => log.warning(event, fields));
  const worker = new StepWorker({ home, plugin, step, redis: config.redis, definition, log, rescanTargets, metrics, collectGarbage: gc?.full, scavenge: gc?.minor });
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info('stop requested: finishing the current file', { signal });
    worker.stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  await worker.start();
  log.info('worker started', { queue: worker.queue, module: step.stepModulePath ? path.relative(plugin.dir, step.stepModulePath) : step.stepModule, code_cache: codeCacheState() });
  announceReady();
  await worker.run();
  await worker.close();
  log.info('worker stopped');
  return 0;
}

main().then(
  // Exit now: a step's runaway promise (after a process_timeout) must not keep a stopped worker alive.
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`mfdata worker: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
