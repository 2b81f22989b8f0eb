// Misbehaving step code: throws, hangs past process_timeout, returns garbage, exits the process, blocks the event
// loop, leaks memory until max_age. Each file ends in its documented place; the well-behaved files around them are delivered.
import * as fs from 'node:fs';
import { deliveries } from '../accounting';
import { ScenarioContext, type Scenario } from '../scenario';

export const stepFailures: Scenario = {
  name: 'step-failures',
  group: 'step-code',
  description: 'process() throws, never settles (process_timeout = 2 s), returns a string, undefined or a rejected promise: '
    + 'each such file goes to the trash with its .tags (failure_policy = keep); the other files are delivered.',
  runtime: () => ({ step: { numprocesses: 2, processTimeout: 2 } }),
  async run(ctx) {
    const n = ctx.pick(2000, 200);
    const bad = ['throw', 'hang', 'garbage', 'undef', 'reject'].flatMap((mode) => ScenarioContext.names(`${mode}-`, ctx.pick(5, 2)));
    ctx.inject(ScenarioContext.names('ok-', n / 2));
    ctx.inject(bad, { expect: ['trash'] });
    ctx.inject(ScenarioContext.names('ok-', n / 2, n / 2));
  },
};

export const stepDeaths: Scenario = {
  name: 'step-deaths',
  group: 'step-code',
  description: 'process() calls process.exit(7), or blocks the event loop past process_timeout (the watchdog kills the worker): '
    + 'the file is put back after each death and goes to the trash after the third, with the reason in its .tags; '
    + 'it is delivered 3 times (counted as duplicate deliveries). [supervisor] flapping_max_retries = 20: with the default 5, '
    + 'two such files within 60 s mark the step failed.',
  runtime: () => ({ step: { numprocesses: 2, processTimeout: 1 }, mfdataIni: ['[supervisor]', 'flapping_max_retries = 20'] }),
  settleMs: () => 180_000,
  async run(ctx) {
    const n = ctx.pick(2000, 100);
    ctx.inject(ScenarioContext.names('ok-', n / 2));
    ctx.inject(['exit-1', 'spin-1'], { expect: ['trash'] });
    ctx.inject(ScenarioContext.names('ok-', n / 2, n / 2));
  },
};

export const memoryLeak: Scenario = {
  name: 'step-leak-max-age',
  group: 'step-code',
  description: 'process() keeps 4 MB more on every file; max_age = 3 s recycles each worker (SIGTERM: it finishes its file first): '
    + 'every file delivered, and more worker pids than numprocesses took part.',
  runtime: () => ({ step: { numprocesses: 2, maxAge: 3, delayMs: 100 } }),
  async run(ctx) {
    ctx.inject(ScenarioContext.names('leak-', ctx.pick(400, 100)));
  },
  async verify(ctx) {
    const pids = fs.readdirSync(ctx.rt.logDir).length;
    ctx.note(`${pids} worker processes delivered files (numprocesses = 2); ${deliveries(ctx.rt).size} files delivered`);
    if (pids <= 2) throw new Error(`max_age did not recycle any worker: only ${pids} worker pids delivered files`);
  },
};
