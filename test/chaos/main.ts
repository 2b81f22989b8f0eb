// `npm run chaos [-- --reduced] [scenario…]`: runs the fault-injection scenarios on real runtimes, prints the report
// table, and exits 1 when any scenario lost a file, left one behind, or failed otherwise.
import { formatDetails, formatReports, runScenario, type ScenarioReport } from './runner';
import { SCENARIOS } from './scenarios';
import type { Size } from './scenario';

async function main(argv: string[]): Promise<number> {
  const size: Size = argv.includes('--reduced') ? 'reduced' : 'full';
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
    return 2;
  }
  const chosen = SCENARIOS.filter((s) => names.length === 0 || names.includes(s.name));
  const reports: ScenarioReport[] = [];
  for (const s of chosen) {
    process.stdout.write(`\n== ${s.name} (${size}): ${s.description}\n`);
    const r = await runScenario(s, size, (line) => process.stdout.write(`   ${line}\n`));
    reports.push(r);
    process.stdout.write(`   ${r.skipped ? `skipped: ${r.skipped}` : r.problems.length === 0 ? 'ok' : `FAILED: ${r.problems.join('; ')}`}\n`);
  }
  process.stdout.write(`\n${formatReports(reports)}\n\n${formatDetails(reports)}\n`);
  return reports.some((r) => r.problems.length > 0) ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`chaos: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
