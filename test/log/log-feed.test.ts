// The extension's log feed follows the CURRENT runtime home: when the home changes, the new home's log
// directory is followed (its history first) and the old one is no longer read.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogFeed } from '../../src/logs/logFeed';

const rec = (event: string, second: number): string =>
  `{"timestamp":"2026-11-27T20:00:${String(second).padStart(2, '0')}.000000Z","level":"info","name":"x","pid":1,"event":"${event}","plugin":"#core#"}\n`;

async function until(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a home change switches the feed to the new home log directory and stops reading the old one', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-feed-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const logA = path.join(root, 'homeA', 'log');
  const logB = path.join(root, 'homeB', 'log');
  fs.mkdirSync(logA, { recursive: true });
  fs.mkdirSync(logB, { recursive: true });
  fs.writeFileSync(path.join(logA, 'supervisor.log'), rec('a-history', 1));
  fs.writeFileSync(path.join(logB, 'supervisor.log'), rec('b-history', 2));

  let current: string | undefined = logA;
  const switches: Array<[string | undefined, string | undefined]> = [];
  const got: Array<{ event: string; initial: boolean }> = [];
  const feed = new LogFeed({
    logDir: () => current,
    pollMs: 20,
    onSwitch: (from, to) => switches.push([from, to]),
    onEntries: (entries, initial) => got.push(...entries.map((e) => ({ event: e.record?.event ?? e.raw, initial }))),
  });
  t.after(() => feed.dispose());

  assert.equal(feed.sync(), true);
  assert.equal(feed.following, logA);
  assert.deepEqual(got, [{ event: 'a-history', initial: true }]);
  assert.equal(feed.sync(), false, 'same home: nothing to do');
  fs.appendFileSync(path.join(logA, 'supervisor.log'), rec('a-live', 3));
  await until('a-live', () => got.some((g) => g.event === 'a-live'));

  // mfdata.home now names another home.
  current = logB;
  assert.equal(feed.sync(), true);
  assert.equal(feed.following, logB);
  assert.deepEqual(switches, [[undefined, logA], [logA, logB]]);
  assert.deepEqual(got.slice(2), [{ event: 'b-history', initial: true }], 'the new home history arrives as an initial batch');

  fs.appendFileSync(path.join(logA, 'supervisor.log'), rec('a-after-switch', 4));
  fs.writeFileSync(path.join(logB, 'step_p_main.log'), rec('b-live', 5));
  await until('b-live', () => got.some((g) => g.event === 'b-live'));
  // Give the old directory's watcher and poll every chance to (wrongly) deliver.
  await new Promise((r) => setTimeout(r, 200));
  feed.read();
  assert.deepEqual(got.map((g) => g.event), ['a-history', 'a-live', 'b-history', 'b-live']);
  assert.equal(got.find((g) => g.event === 'b-live')?.initial, false);

  // No home at all (folder closed, setting cleared to an invalid place): nothing followed, and back again.
  current = undefined;
  assert.equal(feed.sync(), true);
  assert.equal(feed.following, undefined);
  current = logB;
  assert.equal(feed.sync(), true);
  assert.deepEqual(switches.slice(2), [[logB, undefined], [undefined, logB]]);
});
