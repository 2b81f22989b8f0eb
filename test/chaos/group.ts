// Runs the scenarios of one group at reduced size as node tests (one test per scenario; a skip is a test skip).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatDetails, formatReports, runScenario } from './runner';
import { SCENARIOS } from './scenarios';

export function runGroup(group: string): void {
  const scenarios = SCENARIOS.filter((s) => s.group === group);
  if (scenarios.length === 0) throw new Error(`no chaos scenario in group '${group}'`);
  for (const s of scenarios) {
    test(`${s.name}: ${s.description}`, { timeout: 300_000 }, async (t) => {
      const r = await runScenario(s, 'reduced');
      if (r.skipped) {
        t.skip(r.skipped);
        return;
      }
      t.diagnostic(formatReports([r]).split('\n')[2]);
      assert.deepEqual(r.problems, [], formatDetails([r]));
      assert.equal(r.accounting?.lost.length, 0);
      assert.ok((r.accounting?.injected ?? 0) > 0, 'the scenario injected files');
    });
  }
}
