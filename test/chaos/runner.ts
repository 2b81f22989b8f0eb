// Runs one chaos scenario on a fresh runtime: start, run() (inject + fault), wait for quiescence, account, stop;
// and formats the per-scenario report table.
import { account, inFlightFiles, problems, type Accounting } from './accounting';
import { ChaosRuntime } from './runtime';
import { ScenarioContext, sleep, type Scenario, type Size } from './scenario';

export interface ScenarioReport {
  name: string;
  skipped?: string;
  accounting?: Accounting;
  /** From the end of the fault to quiescence (everything final, queues empty, counts stable). */
  recoverMs?: number;
  totalMs: number;
  /** Processes naming the runtime's directory still alive after `mfdata stop` (killed by the harness). */
  strayProcesses: number;
  notes: string[];
  problems: string[];
}

/** Counts must stay the same this long before the runtime counts as quiet. */
const STABLE_MS = 1500;

export async function runScenario(s: Scenario, size: Size, log: (line: string) => void = () => undefined): Promise<ScenarioReport> {
  const started = Date.now();
  const why = s.skip?.();
  if (why) return { name: s.name, skipped: why, totalMs: 0, strayProcesses: 0, notes: [], problems: [] };
  const rt = new ChaosRuntime(s.runtime?.(size) ?? {});
  const ctx = new ScenarioContext(rt, size);
  const report: ScenarioReport = { name: s.name, totalMs: 0, strayProcesses: 0, notes: ctx.notes, problems: [] };
  try {
    await rt.start();
    log(`${s.name}: runtime started, running the fault`);
    await s.run(ctx);
    const faultEnd = ctx.faultEndedAt ?? Date.now();
    log(`${s.name}: ${ctx.injected.size} files injected, waiting for quiescence`);
    const quietAt = await waitForQuiet(rt, ctx, s.settleMs?.(size) ?? 120_000);
    try {
      await s.verify?.(ctx);
    } catch (err) {
      report.problems.push(`verify: ${err instanceof Error ? err.message : String(err)}`);
    }
    const a = await account(rt, ctx.injected);
    report.accounting = a;
    report.problems.push(...problems(a));
    if (quietAt === undefined) report.problems.push('the runtime never became quiet (files still moving or stuck)');
    else report.recoverMs = Math.max(0, quietAt - faultEnd);
  } catch (err) {
    report.problems.push(`scenario failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  } finally {
    const stray = await rt.close();
    report.strayProcesses = stray.length;
    if (stray.length > 0) report.problems.push(`${stray.length} runtime processes still alive after mfdata stop (pids ${stray.join(', ')})`);
    report.totalMs = Date.now() - started;
  }
  return report;
}

/**
 * Waits until every injected file is in a final place, IN/ holds nothing but trash, every step queue is empty,
 * and those figures stayed the same for STABLE_MS. Returns when that state was first reached, or undefined at
 * the deadline. The check is cheap (directory listings, LLEN): the full accounting runs once, after.
 */
async function waitForQuiet(rt: ChaosRuntime, ctx: ScenarioContext, timeoutMs: number): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  let since: number | undefined;
  let last = '';
  while (Date.now() < deadline) {
    const finished = ctx.finishedCount();
    const inFlight = inFlightFiles(rt).length;
    const queues = await rt.queueLengths();
    const queued = queues ? [...queues.values()].reduce((a, b) => a + b, 0) : -1;
    const key = `${finished}/${inFlight}/${queued}`;
    const quiet = finished >= ctx.injected.size && inFlight === 0 && queued === 0;
    if (!quiet || key !== last) {
      since = quiet ? Date.now() : undefined;
      last = key;
    } else if (since !== undefined && Date.now() - since >= STABLE_MS) {
      return since;
    }
    await sleep(ctx.injected.size > 20_000 ? 500 : 100);
  }
  return undefined;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`;
}

/** The report table (markdown, so it can be pasted into docs/CHAOS.md as it is). */
export function formatReports(reports: ScenarioReport[]): string {
  const rows = [
    '| scenario | injected | processed | failed by policy | lost | left behind | duplicate deliveries | time to recover | total | result |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of reports) {
    const a = r.accounting;
    if (r.skipped) {
      rows.push(`| ${r.name} | — | — | — | — | — | — | — | — | skipped: ${r.skipped} |`);
      continue;
    }
    const left = a ? a.leftovers.length + a.inFlight.length + a.queues.length : undefined;
    rows.push(`| ${r.name} | ${a?.injected ?? '?'} | ${a?.processed ?? '?'} | ${a?.failedByPolicy ?? '?'} | ${a?.lost.length ?? '?'} | ${left ?? '?'} | ${a?.duplicateDeliveries ?? '?'} | ${seconds(r.recoverMs)} | ${seconds(r.totalMs)} | ${r.problems.length === 0 ? 'ok' : 'FAILED'} |`);
  }
  return rows.join('\n');
}

/** Problems and notes of each scenario, one block each, for after the table. */
export function formatDetails(reports: ScenarioReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    if (r.notes.length === 0 && r.problems.length === 0) continue;
    out.push(`${r.name}:`);
    for (const n of r.notes) out.push(`  note: ${n}`);
    for (const p of r.problems) out.push(`  PROBLEM: ${p}`);
  }
  return out.join('\n');
}
