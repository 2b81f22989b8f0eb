// MFDATA's debug mode: one step processes one file once, from a copy, with no queue, no Redis and no supervisor;
// the result goes to a JSON report (runtime/debug/report.ts). Run as `worker.js --debug-file F --report R
// --home H --plugin P --step S [--workspace W]`, usually under js-debug with breakpoints in the step's source.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StepDefinition, StepFile } from '../api/types';
import type { PluginConfig, StepConfig } from '../config/model';
import { loadRuntimeConfig } from '../config/load';
import { formatProblem } from '../config/errors';
import { runtimeHome, type RuntimeHome } from '../home';
import { createLogger, exceptionFile } from '../log/mflog';
import { enterStepTag, enterStepValue, ORIGINAL_BASENAME, ORIGINAL_DIRNAME, ORIGINAL_UID, STEP_COUNTER } from '../tags/tag-names';
import { compiledStepPath, loadStep } from '../worker/step-loader';
import { pluginConfigFile } from '../worker/worker-config';
import { RecordingStepContext } from './recording-context';
import { describeFailurePolicy, REPORT_VERSION, type OneShotReport, type StepException } from './report';
import { callSurfacingExceptions, surfaceStepExceptions } from './surface-exceptions';

export class OneShotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OneShotError';
  }
}

export interface OneShotArgs {
  home: string;
  plugin: string;
  step: string;
  /** The file to process (a copy is processed; this one is never touched). */
  file: string;
  /** Where the JSON report goes; its directory is the run's scratch space. */
  report: string;
  /** Read the plugin's config.ini from this workspace (else the generated config of the home). */
  workspace?: string;
}

const USAGE = 'worker.js --debug-file FILE --report REPORT.json --home H --plugin P --step S [--workspace W]';

/** True when the worker's arguments ask for a one-shot debug run. */
export function isOneShotArgs(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--debug-file' || a.startsWith('--debug-file='));
}

export function parseOneShotArgs(argv: readonly string[]): OneShotArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(home|plugin|step|debug-file|report|workspace)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new OneShotError(`unknown argument '${argv[i]}' (usage: ${USAGE})`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new OneShotError(`--${m[1]} needs a value (usage: ${USAGE})`);
    values.set(m[1], value);
  }
  for (const key of ['home', 'plugin', 'step', 'debug-file', 'report']) {
    if (!values.get(key)) throw new OneShotError(`missing --${key} (usage: ${USAGE})`);
  }
  const ws = values.get('workspace');
  return {
    home: path.resolve(values.get('home')!), plugin: values.get('plugin')!, step: values.get('step')!,
    file: path.resolve(values.get('debug-file')!), report: path.resolve(values.get('report')!), workspace: ws ? path.resolve(ws) : undefined,
  };
}

/** The plugin and step, from the workspace's config.ini when given (the source being debugged), else from config_auto. */
export function resolveStep(args: OneShotArgs): { home: RuntimeHome; plugin: PluginConfig; step: StepConfig } {
  const home = runtimeHome(args.home);
  let plugin: PluginConfig | undefined;
  if (args.workspace) {
    const loaded = loadRuntimeConfig({ workspace: args.workspace, home: home.root, env: process.env });
    plugin = loaded.config.plugins.find((p) => p.name === args.plugin);
    if (!plugin) {
      const problems = loaded.problems.filter((p) => p.severity === 'error').map(formatProblem);
      throw new OneShotError(loaded.rejectedPlugins.includes(args.plugin)
        ? `plugin '${args.plugin}' has configuration errors:\n${problems.join('\n')}`
        : `no plugin '${args.plugin}' in workspace ${args.workspace} or home ${home.root}`);
    }
  } else {
    const file = pluginConfigFile(home, args.plugin);
    try {
      plugin = JSON.parse(fs.readFileSync(file, 'utf8')) as PluginConfig;
    } catch (err) {
      throw new OneShotError(`cannot read the configuration of plugin '${args.plugin}' from ${file}: ${(err as Error).message} (pass --workspace, or generate the configuration)`);
    }
  }
  const step = plugin.steps.find((s) => s.name === args.step);
  if (!step) throw new OneShotError(`plugin '${args.plugin}' has no step '${args.step}' (steps: ${plugin.steps.map((s) => s.name).join(', ') || 'none'})`);
  if (!step.stepModulePath) {
    throw new OneShotError(`step ${args.plugin}/${args.step} runs ${step.stepModule}, not plugin code: debug mode runs a plugin's own step module`);
  }
  return { home, plugin, step };
}

function toException(err: unknown): StepException {
  if (err instanceof Error) return { type: err.name, message: err.message, stack: err.stack, location: exceptionFile(err) };
  return { type: typeof err, message: String(err) };
}

function writeReport(file: string, report: OneShotReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.t`;
  fs.writeFileSync(temp, JSON.stringify(report, null, 2) + '\n');
  fs.renameSync(temp, file);
}

/** Runs the step on a copy of the file and writes the report. Resolves with it (also written on failure). */
export async function runOneShot(args: OneShotArgs): Promise<OneShotReport> {
  const started = Date.now();
  const scratch = path.dirname(args.report);
  const base: OneShotReport = {
    version: REPORT_VERSION, plugin: args.plugin, step: args.step, source: args.file, copy: '', startedAt: new Date(started).toISOString(),
    durationMs: 0, outcome: 'failure', tagsSet: {}, tags: {}, routed: [], finalState: 'kept', notes: [],
  };
  const finish = (r: OneShotReport): OneShotReport => {
    r.durationMs = Date.now() - started;
    writeReport(args.report, r);
    return r;
  };
  let home: RuntimeHome;
  let plugin: PluginConfig;
  let step: StepConfig;
  let definition: StepDefinition;
  try {
    ({ home, plugin, step } = resolveStep(args));
    if (!fs.statSync(args.file).isFile()) throw new OneShotError(`${args.file} is not a regular file`);
    definition = await loadStep(step.stepModulePath!, compiledStepPath(home.tmpDir, plugin.name, step.name));
  } catch (err) {
    return finish({ ...base, reason: err instanceof Error ? err.message : String(err), exception: toException(err) });
  }
  definition = surfaceStepExceptions(definition);
  const log = createLogger(`mfdata.${plugin.name}.${step.name}`, { plugin: plugin.name, step: step.name, debug_run: true }, { debug: step.debug });
  const ctx = new RecordingStepContext(home, plugin, step, log, scratch);
  const notes = ['debug mode: the file is a copy, Redis and the queue are not used, routing went to the scratch directory'];
  if (step.processTimeout > 0) notes.push(`process_timeout (${step.processTimeout} s) is not applied under the debugger`);

  const uid = randomBytes(16).toString('hex');
  const copy = path.join(scratch, 'claim', uid);
  fs.mkdirSync(path.dirname(copy), { recursive: true });
  fs.copyFileSync(args.file, copy);
  const now = Date.now();
  const originalBasename = path.basename(args.file);
  ctx.seed(copy, {
    [ORIGINAL_BASENAME]: originalBasename, [ORIGINAL_DIRNAME]: path.basename(path.dirname(args.file)), [ORIGINAL_UID]: uid, [STEP_COUNTER]: '0',
    [enterStepTag(0, plugin.name, step.name)]: enterStepValue(now), [enterStepTag('latest', plugin.name, step.name)]: enterStepValue(now),
  });
  const file: StepFile = {
    path: copy, uid, stepCounter: 0, tags: ctx.tagsOf(copy), originalBasename, originalDirname: path.basename(path.dirname(args.file)), originalUid: uid,
  };
  const report: OneShotReport = { ...base, copy, notes };
  log.info('debug run started', { file: args.file, copy });
  try {
    await callSurfacingExceptions(() => definition.init?.(ctx));
  } catch (err) {
    log.exception('init() raised an exception', err);
    return finish({ ...report, reason: `init() raised: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`, exception: toException(err) });
  }
  let status = false;
  try {
    if (definition.process) {
      report.returned = await definition.process(file, ctx);
      status = report.returned === true;
    } else {
      const r = await definition.batchProcess!([file], ctx);
      report.returned = r;
      status = Array.isArray(r) ? r[0] === true : r === true;
    }
    if (!status) report.reason = `${definition.process ? 'process' : 'batchProcess'}() returned ${JSON.stringify(report.returned) ?? 'undefined'}`;
  } catch (err) {
    report.exception = toException(err);
    report.reason = `exception: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
    log.exception('process() raised an exception', err, { file: copy });
  }
  try {
    await definition.after?.(status, ctx, file);
  } catch (err) {
    log.exception('after() raised an exception', err, { file: copy });
    notes.push(`after() raised: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    await definition.destroy?.(ctx);
  } catch (err) {
    log.exception('destroy() failed', err);
    notes.push(`destroy() raised: ${err instanceof Error ? err.message : String(err)}`);
  }
  report.outcome = status ? 'success' : 'failure';
  report.tagsSet = { ...ctx.tagsSet };
  report.routed = [...ctx.routed];
  const stillThere = fs.existsSync(copy);
  report.tags = ctx.tagsOf(stillThere ? copy : ctx.routed.at(-1)?.scratchPath ?? copy);
  if (status) {
    // As the worker: a processed file still in its claim place is deleted.
    if (stillThere) fs.rmSync(copy, { force: true });
    report.finalState = stillThere ? 'deleted' : 'routed';
  } else if (stillThere) {
    report.failurePolicy = describeFailurePolicy(home, plugin.name, step, originalBasename);
    report.finalState = 'kept';
  } else {
    report.finalState = 'routed';
    notes.push('the step moved the file away before failing: the failure policy would find nothing to act on');
  }
  log.info('debug run finished', { outcome: report.outcome, reason: report.reason });
  return finish(report);
}

/** Entry used by worker/main.ts: exit 0 once a report is written, 2 when the arguments are wrong. */
export async function oneShotMain(argv: readonly string[]): Promise<number> {
  let args: OneShotArgs;
  try {
    args = parseOneShotArgs(argv);
  } catch (err) {
    process.stderr.write(`mfdata debug run: ${(err as Error).message}\n`);
    return 2;
  }
  const report = await runOneShot(args);
  process.stderr.write(`mfdata debug run: ${report.outcome}${report.reason ? ` (${report.reason})` : ''}; report ${args.report}\n`);
  return 0;
}
