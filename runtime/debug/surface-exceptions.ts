// Runs step code so that a throw in it is *uncaught* for V8 (js-debug's "Uncaught Exceptions" breakpoint stops at
// the throw), while the caller still receives the error and applies the failure policy as usual.
//
// Why: the worker catches every step exception (to apply the failure policy), so V8 predicts each throw as caught
// and "Uncaught Exceptions" never stops. Here the step function is called from a fresh macrotask with no try/catch
// on the stack, and its promise gets a fulfilment handler only: to V8 a throw has no handler anywhere. The error is
// then collected through process 'uncaughtException' / 'unhandledRejection' listeners, which V8 does not see.
import type { StepDefinition } from '../api/types';

interface PendingCall {
  reject(err: unknown): void;
}

/** The call whose step function is running synchronously right now (a sync throw belongs to it). */
let syncActive: PendingCall | undefined;
/** Promise returned by `.then(resolve)` on a step's promise → the call it belongs to. */
const byDerived = new WeakMap<Promise<unknown>, PendingCall>();
let pending = 0;

function onUncaught(err: unknown): void {
  const call = syncActive;
  syncActive = undefined;
  if (!call) {
    // Not step code called through here (a timer of the step, say): what node would have done without us.
    process.stderr.write(`mfdata worker: uncaught exception: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  }
  call.reject(err);
}

function onUnhandled(reason: unknown, promise: Promise<unknown>): void {
  const call = byDerived.get(promise);
  if (call) {
    byDerived.delete(promise);
    call.reject(reason);
    return;
  }
  // A promise the step forgot to await: logged, not fatal (the step's own result decides the file's fate).
  process.stderr.write(`mfdata worker: unhandled promise rejection outside the step's result: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}\n`);
}

function listen(): void {
  if (pending++ > 0) return;
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUnhandled);
}

function unlisten(): void {
  if (--pending > 0) return;
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUnhandled);
}

/** Calls `fn` in a new macrotask with no handler V8 can see; resolves or rejects with its outcome. */
export function callSurfacingExceptions<T>(fn: () => T | PromiseLike<T>): Promise<T> {
  listen();
  const outcome = new Promise<T>((resolve, reject) => {
    const call: PendingCall = { reject };
    setImmediate(() => {
      // No try/catch here on purpose (see the module comment).
      syncActive = call;
      const result = fn();
      syncActive = undefined;
      if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<T>).then === 'function') {
        const derived = Promise.resolve(result).then(resolve);
        byDerived.set(derived, call);
      } else {
        resolve(result as T);
      }
    });
  });
  return outcome.finally(unlisten);
}

/** The step with process/batchProcess (the per-file code) called through callSurfacingExceptions. */
export function surfaceStepExceptions(definition: StepDefinition): StepDefinition {
  const wrapped: StepDefinition = { ...definition };
  const { process: processFn, batchProcess } = definition;
  if (processFn) wrapped.process = (file, ctx) => callSurfacingExceptions(() => processFn(file, ctx));
  if (batchProcess) wrapped.batchProcess = (files, ctx) => callSurfacingExceptions(() => batchProcess(files, ctx));
  return wrapped;
}
