// Claim uids: <worker prefix><round><random>, so the files claimed in one pop round share a journal (keys.ts journalKey).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClaimOwners } from '../../runtime/worker/claim-owners';
import { journalKey } from '../../runtime/queue/keys';

test('the uids of one pop round share the worker prefix and the round; rounds and files differ', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-uids-'));
  try {
    const owners = new ClaimOwners(dir, 'p', 's');
    const rounds = [owners.newBatch(), owners.newBatch()].map((next) => Array.from({ length: 600 }, next));
    const all = rounds.flat();
    for (const uid of all) {
      assert.match(uid, /^[0-9a-f]{32}$/, 'a 128-bit hex uid, as MFDATA original_uid');
      assert.ok(uid.startsWith(owners.prefix), 'recovery tells the owner by the prefix');
    }
    assert.equal(new Set(all).size, all.length, 'no two uids alike (600 per round: past the random pool refill)');
    for (const round of rounds) assert.equal(new Set(round.map(journalKey)).size, 1, 'one journal per round');
    assert.notEqual(journalKey(rounds[0][0]), journalKey(rounds[1][0]), 'rounds have journals of their own');
    assert.notEqual(journalKey(owners.newUid()), journalKey(owners.newUid()), 'a single uid has a journal of its own');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
