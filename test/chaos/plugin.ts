// The fault-injection plugin: a workspace plugin whose step records every delivery and writes each file's content
// to an output directory, and misbehaves on purpose when a file's name asks it to (throw, hang, exit, leak…).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The plugin and step every scenario drives. */
export const PLUGIN = 'chaos';
export const STEP = 'main';

/**
 * What the step does with a file, chosen by the file name's prefix up to the first '-' (so a scenario picks
 * the misbehaviour per file). Anything else is the normal path: content copied to the output directory.
 */
export const MODES = {
  throw: 'process() throws an Error',
  hang: 'process() returns a promise that never settles (process_timeout applies)',
  spin: 'process() blocks the event loop forever (the watchdog kills the worker; 3 deaths → failure policy)',
  exit: 'process() calls process.exit(7) (the worker dies; 3 deaths → failure policy)',
  garbage: "process() returns the string 'yes' instead of a boolean",
  undef: 'process() returns undefined',
  reject: 'process() returns a rejected promise',
  leak: 'process() keeps 4 MB more memory on every file, then succeeds (max_age recycles the worker)',
} as const;
export type Mode = keyof typeof MODES;

/**
 * The step. Every delivery appends one line `<JSON name> <sha256 of the content read>` to a log file of its own
 * process (O_APPEND, one write per line), before anything can fail: the harness counts deliveries from these
 * files, so a file run twice by the step shows up as a duplicate delivery. The output is written under a
 * temporary dot name then renamed, so a worker killed mid-write never leaves a partial file under the real name.
 */
export const STEP_SOURCE = `
import { defineStep } from 'mfdata';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
const leaked: Buffer[] = [];
export const step = defineStep({
  async process(file, ctx) {
    const content = fs.readFileSync(file.path);
    const sha = createHash('sha256').update(content).digest('hex');
    const name = file.originalBasename;
    fs.appendFileSync(path.join(ctx.getCustom('log_dir'), 'deliveries.' + process.pid + '.log'), JSON.stringify(name) + ' ' + sha + '\\n');
    const delay = Number(ctx.getCustom('delay_ms', '0'));
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    switch (name.split('-')[0]) {
      case 'throw': throw new Error('chaos: this step throws on purpose');
      case 'hang': return new Promise<boolean>(() => undefined);
      case 'spin': for (;;) { /* blocks the event loop */ }
      case 'exit': process.exit(7);
      case 'garbage': return 'yes' as unknown as boolean;
      case 'undef': return undefined as unknown as boolean;
      case 'reject': return Promise.reject(new Error('chaos: rejected on purpose'));
      case 'leak': leaked.push(Buffer.alloc(4 * 1024 * 1024, 1)); break;
      default: break;
    }
    const outDir = ctx.getCustom('out_dir');
    const part = path.join(outDir, '.' + file.uid + '.part');
    fs.writeFileSync(part, content);
    fs.renameSync(part, path.join(outDir, name));
    return true;
  },
});
`;

export interface StepSettings {
  numprocesses: number;
  /** Seconds; 0 = none. */
  processTimeout: number;
  /** Seconds; 0 = never recycled. */
  maxAge: number;
  /** Milliseconds the step waits per file (keeps files in flight long enough for faults to hit them). */
  delayMs: number;
}

export const DEFAULT_STEP: StepSettings = { numprocesses: 2, processTimeout: 0, maxAge: 0, delayMs: 0 };

/** config.ini of the plugin (MFDATA format). */
export function configIni(s: StepSettings, outDir: string, logDir: string): string {
  return [
    '[general]', '_version = 1.0.0', '_release = 1', '_summary = fault-injection plugin of the chaos suite', '_license = MIT',
    '_url = https://example.invalid/chaos', '_maintainer = chaos suite', '_vendor = mfdata-vscode', '',
    `[step_${STEP}]`, `numprocesses = ${s.numprocesses}`, 'timeout = 10', `process_timeout = ${s.processTimeout}`,
    `max_age = ${s.maxAge}`, `max_age_variance = ${s.maxAge > 0 ? 1 : 0}`, 'failure_policy = keep', '',
    '[custom]', `out_dir = ${outDir}`, `log_dir = ${logDir}`, `delay_ms = ${s.delayMs}`, '',
  ].join('\n');
}

/** Writes `<workspace>/plugins/<name>/{config.ini,main.ts}`. */
export function writeChaosPlugin(workspace: string, s: StepSettings, outDir: string, logDir: string, name = PLUGIN): string {
  const dir = path.join(workspace, 'plugins', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${STEP}.ts`), STEP_SOURCE);
  fs.writeFileSync(path.join(dir, 'config.ini'), configIni(s, outDir, logDir));
  return dir;
}
