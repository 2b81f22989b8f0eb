// Child-process probe for surface-exceptions.test.ts: a worker thread attaches V8's inspector to this main thread with
// "pause on uncaught exceptions" (what js-debug's "Uncaught Exceptions" sets), then a throwing step function runs the
// way the worker runs it; the pauses V8 reports are printed as one JSON line.
import { Worker } from 'node:worker_threads';
import { callSurfacingExceptions } from '../../runtime/debug/surface-exceptions';

const INSPECTOR_THREAD = `
const { Session } = require('node:inspector');
const { parentPort } = require('node:worker_threads');
// Listening keeps this thread alive until the main thread terminates it.
parentPort.on('message', () => {});
const session = new Session();
session.connectToMainThread();
session.on('Debugger.paused', (m) => {
  const frame = m.params.callFrames[0];
  parentPort.postMessage({ paused: m.params.reason, function: frame ? frame.functionName : '', error: m.params.data ? m.params.data.description : '' });
  session.post('Debugger.resume');
});
session.post('Debugger.enable', () => session.post('Debugger.setPauseOnExceptions', { state: 'uncaught' }, () => parentPort.postMessage({ ready: true })));
`;

function syncStep(): boolean {
  throw new Error('sync boom');
}

async function asyncStepBeforeAwait(): Promise<boolean> {
  throw new Error('early boom');
}

async function asyncStepAfterAwait(): Promise<boolean> {
  await new Promise((r) => setTimeout(r, 5));
  throw new Error('late boom');
}

async function okStep(): Promise<boolean> {
  await new Promise((r) => setTimeout(r, 5));
  return true;
}

const steps: Record<string, () => boolean | Promise<boolean>> = { sync: syncStep, early: asyncStepBeforeAwait, late: asyncStepAfterAwait, ok: okStep };

async function main(): Promise<void> {
  const [how, which] = process.argv.slice(2);
  const pauses: unknown[] = [];
  const thread = new Worker(INSPECTOR_THREAD, { eval: true });
  await new Promise<void>((resolve) => thread.on('message', (m: { ready?: boolean }) => (m.ready ? resolve() : pauses.push(m))));
  let result: unknown;
  let caught: string | undefined;
  try {
    // `plain`: as the worker calls a step (inside its try/catch); `surfaced`: through callSurfacingExceptions.
    result = how === 'surfaced' ? await callSurfacingExceptions(steps[which]) : await steps[which]();
  } catch (err) {
    caught = (err as Error).message;
  }
  await new Promise((r) => setTimeout(r, 200));
  await thread.terminate();
  process.stdout.write(JSON.stringify({ result, caught, pauses }) + '\n');
}

void main();
