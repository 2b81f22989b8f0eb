// The extension's log source: recent history first, then new records from every file as they are written.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LogEntry } from '../../runtime/log/entry';
import { LogSource } from '../../src/logs/logSource';

test('history is delivered as the initial batch, then appends to any file, including one created later', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-src-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const rec = (n: number) => `{"timestamp":"2026-11-27T20:00:0${n}.000000Z","level":"info","name":"x","pid":1,"event":"e${n}","plugin":"#core#"}\n`;
  fs.writeFileSync(path.join(dir, 'a.log'), rec(1));
  const got: { events: string[]; initial: boolean }[] = [];
  const source = new LogSource({ logDir: dir, pollMs: 20, onEntries: (entries: LogEntry[], initial) => got.push({ events: entries.map((e) => e.record?.event ?? e.raw), initial }) });
  t.after(() => source.dispose());
  source.start();
  assert.deepEqual(got, [{ events: ['e1'], initial: true }]);
  fs.appendFileSync(path.join(dir, 'a.log'), rec(3));
  fs.writeFileSync(path.join(dir, 'b.log'), rec(2));
  const deadline = Date.now() + 5000;
  while (got.flatMap((g) => g.events).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(got.slice(1).flatMap((g) => g.events).sort(), ['e2', 'e3']);
  assert.ok(got.slice(1).every((g) => !g.initial));
});
