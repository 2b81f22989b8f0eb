// Before taking a debugged step back, the extension waits for the debug worker: the living registered workers of
// the step's tmp directory (claim-owner registrations whose process still runs on this host).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { liveStepWorkers } from '../../runtime/debug/live-workers';
import { ClaimOwners } from '../../runtime/worker/claim-owners';

test('a registered living worker is listed; a dead one, another host\'s and stray files are not', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-live-'));
  try {
    assert.deepEqual(liveStepWorkers(tmp), [], 'no registration directory: none');
    new ClaimOwners(tmp, 'p', 's').register();
    const dir = path.join(tmp, '.workers');
    fs.writeFileSync(path.join(dir, 'aaaaaaaaaaaaaaaa'), JSON.stringify({ host: os.hostname(), pid: 2 ** 22 + 12345, startTime: '1', plugin: 'p', step: 's', registeredAt: '' }));
    fs.writeFileSync(path.join(dir, 'bbbbbbbbbbbbbbbb'), JSON.stringify({ host: 'elsewhere', pid: process.pid, startTime: '', plugin: 'p', step: 's', registeredAt: '' }));
    fs.writeFileSync(path.join(dir, 'not-a-prefix'), '{}');
    assert.deepEqual(liveStepWorkers(tmp), [process.pid]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
