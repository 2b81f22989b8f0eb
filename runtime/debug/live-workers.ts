// The step workers alive on this host for one step, from the claim-owner registrations in its tmp directory.
// After a hand_over only the debug worker is left there: the extension waits for it (and stops it) before take_back.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { processStartTime, type OwnerRecord } from '../worker/claim-owners';

/** Pids of the registered, living workers of a step's tmp directory (`<tmp>/<plugin>.<step>/.workers/*`). */
export function liveStepWorkers(stepTmpDir: string): number[] {
  const dir = path.join(stepTmpDir, '.workers');
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /^[0-9a-f]{16}$/.test(n));
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of names) {
    let record: OwnerRecord;
    try {
      record = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as OwnerRecord;
    } catch {
      continue;
    }
    if (record.host !== os.hostname()) continue;
    const start = processStartTime(record.pid);
    // Same pid and same start time: the very process that registered (a reused pid is someone else).
    if (start !== undefined && (start === '' || record.startTime === '' || start === record.startTime)) pids.push(record.pid);
  }
  return pids;
}
