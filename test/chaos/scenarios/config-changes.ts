// Configuration edited while files flow: numprocesses up then down, a plugin added then removed with files still queued,
// a broken config.ini saved then fixed. Nothing is lost; the removed plugin's waiting files stay, intact, in its inbox.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../../datapath/harness';
import { configIni, PLUGIN, STEP, writeChaosPlugin, type StepSettings } from '../plugin';
import { ScenarioContext, sleep, type Scenario } from '../scenario';

/** The plugin added then removed mid-run. */
const EXTRA = 'extra';

export const configChanges: Scenario = {
  name: 'config-changes',
  group: 'config-changes',
  description: 'while files flow: numprocesses 2 → 4 → 1, a plugin added (its files delivered) then removed with files still waiting '
    + '(they stay, intact, in its inbox: in place), a config.ini with a syntax error saved (the running setup is kept, files keep flowing) '
    + 'then fixed (numprocesses 2 applied).',
  runtime: (size) => ({ step: { numprocesses: 2, delayMs: size === 'full' ? 1 : 5 } }),
  settleMs: (size) => (size === 'full' ? 600_000 : 180_000),
  async run(ctx) {
    const rt = ctx.rt;
    const slice = ctx.pick(1000, 60);
    let n = 0;
    const flow = (): void => { ctx.inject(ScenarioContext.names('c', slice, n)); n += slice; };
    const configFile = path.join(rt.workspace, 'plugins', PLUGIN, 'config.ini');
    const setMain = (s: Partial<StepSettings>): void => fs.writeFileSync(configFile, configIni({ ...rt.step, ...s }, rt.outDir, rt.logDir));
    const workers = async (count: number, plugin = PLUGIN): Promise<void> => {
      await waitFor(`${count} workers of ${plugin}`, async () => { flow(); return (await rt.pids(rt.stepWatcher(plugin, STEP))).length === count; }, 60_000, 500);
    };
    flow();
    setMain({ numprocesses: 4 });
    await workers(4);
    ctx.note('numprocesses 2 → 4 applied');
    setMain({ numprocesses: 1 });
    await workers(1);
    ctx.note('numprocesses 4 → 1 applied');

    // A plugin added: its step starts and its files are delivered.
    writeChaosPlugin(rt.workspace, { ...rt.step, numprocesses: 1, delayMs: 20 }, rt.outDir, rt.logDir, EXTRA);
    await workers(1, EXTRA);
    const extraInbox = path.join(rt.home.inDir, `step.${EXTRA}.${STEP}`);
    const early = ScenarioContext.names('x', ctx.pick(500, 40));
    ctx.inject(early, { dir: extraInbox });
    await waitFor('the added plugin delivered its first files', () => early.every((f) => fs.existsSync(path.join(rt.outDir, f))), 60_000, 100);
    ctx.note(`plugin '${EXTRA}' added, ${early.length} files delivered through it`);

    // Removed while files wait in its inbox (20 ms each, one worker): those stay where they are.
    const waiting = ScenarioContext.names('y', ctx.pick(2000, 200));
    ctx.inject(waiting, { dir: extraInbox, expect: ['output', 'in place'] });
    for (const f of waiting) rt.leftInPlace.set(f, path.join(extraInbox, f));
    await sleep(200);
    fs.rmSync(path.join(rt.workspace, 'plugins', EXTRA), { recursive: true });
    await waitFor(`the removed plugin's workers stopped`, async () => (await rt.watcher(rt.stepWatcher(EXTRA, STEP))) === undefined, 60_000, 200);
    rt.ignoredQueues.add(`step.${EXTRA}.${STEP}`);
    const stayed = waiting.filter((f) => fs.existsSync(path.join(extraInbox, f))).length;
    ctx.note(`plugin '${EXTRA}' removed with ${stayed} of ${waiting.length} files still in its inbox`);
    if (stayed === 0) throw new Error('the removed plugin had no file left waiting: the scenario did not test what it claims');

    // A broken config.ini: reported, the running setup kept, files keep flowing.
    fs.writeFileSync(configFile, `${configIni({ ...rt.step, numprocesses: 3 }, rt.outDir, rt.logDir)}\n[step_${STEP}\nbroken line without equals\n`);
    await waitFor('the broken config.ini reported', () => rt.logContains('conf_monitor.log', 'configuration error: the running setup is kept'), 60_000, 200);
    flow();
    await sleep(1000);
    if ((await rt.pids(rt.stepWatcher())).length !== 1) throw new Error('a broken config.ini changed the running workers');
    ctx.note('broken config.ini reported, 1 worker kept');
    setMain({ numprocesses: 2 });
    await workers(2);
    ctx.note('config.ini fixed, numprocesses 2 applied');
    flow();
    ctx.faultOver();
  },
  async verify(ctx) {
    const inbox = path.join(ctx.rt.home.inDir, `step.${EXTRA}.${STEP}`);
    const left = fs.readdirSync(inbox).filter((f) => !f.startsWith('.')).length;
    const queued = await ctx.rt.redis().llen(`step.${EXTRA}.${STEP}`);
    const claims = fs.readdirSync(path.join(ctx.rt.home.inDir, 'tmp', `${EXTRA}.${STEP}`)).filter((f) => !f.startsWith('.')).length;
    ctx.note(`${left} files of the removed plugin still in its inbox at the end, ${queued} messages left in its queue, ${claims} claims in its tmp/`);
    if (claims > 0) throw new Error(`the removed plugin's workers left ${claims} claims in tmp/`);
  },
};
