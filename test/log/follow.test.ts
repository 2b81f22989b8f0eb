// The follow reader: every line exactly once across rename rotation, copytruncate, restarts and history.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogFollower, type LogLine } from '../../runtime/log/follow';
import { listRotated } from '../../runtime/log/rotated-files';
import { RotatingFile } from '../../runtime/log/rotating-file';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-follow-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function numbers(lines: LogLine[]): number[] {
  return lines.map((l) => (JSON.parse(l.text) as { n: number }).n);
}

test('10,000 lines written by another process across 5 rotations are all read exactly once while following', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'step_p_s.log');
  // Each line is 17..53 bytes: ~350 kB in all, so 70 kB per file gives 5 rotations.
  const writer = spawn(process.execPath, [path.join(__dirname, 'helpers/write-lines.js'), file, '10000', String(70 * 1024)], { stdio: 'inherit' });
  t.after(() => writer.kill('SIGKILL'));
  const exited = new Promise<number | null>((resolve) => writer.on('exit', resolve));
  let done = false;
  void exited.then(() => { done = true; });
  const follower = new LogFollower(file, 'beginning');
  const got: LogLine[] = [];
  while (!done || got.length < 10000) {
    // Small reads, so the follower is often in the middle of a file when it gets rotated.
    const lines = follower.read(250);
    got.push(...lines);
    if (done && lines.length === 0) break;
    await sleep(lines.length === 0 ? 2 : 0);
  }
  follower.close();
  assert.equal(await exited, 0);
  assert.equal(listRotated(file).length, 5, 'the writer rotated 5 times');
  assert.deepEqual(numbers(got), Array.from({ length: 10000 }, (_, i) => i));
  const files = new Set(got.map((l) => l.inode));
  assert.equal(files.size, 6, 'lines came from the 5 rotated files and the live one');
});

test('several rotations between two reads: the follower walks through the rotated siblings in order', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.log');
  const out = new RotatingFile(file, { maxBytes: 0, maxAgeSeconds: 0, keep: 10 });
  out.write('{"n":0}\n');
  const follower = new LogFollower(file, 'beginning');
  assert.deepEqual(numbers(follower.read()), [0]);
  out.write('{"n":1}\n');
  out.rotate();
  out.write('{"n":2}\n');
  out.rotate();
  out.write('{"n":3}\n');
  out.rotate();
  out.write('{"n":4}\n');
  assert.deepEqual(numbers(follower.read()), [1, 2, 3, 4]);
  out.close();
  follower.close();
});

test('copytruncate: the file shrinks under the follower, which restarts at its beginning', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.log');
  fs.writeFileSync(file, '{"n":0}\n{"n":1}\n');
  const follower = new LogFollower(file, 'beginning');
  assert.deepEqual(numbers(follower.read()), [0, 1]);
  fs.copyFileSync(file, `${file}.20260101000000`);
  fs.truncateSync(file, 0);
  fs.appendFileSync(file, '{"n":2}\n');
  assert.deepEqual(numbers(follower.read()), [2]);
  // Truncated and regrown past the old position before the next read: the first line changed, so it is noticed.
  fs.truncateSync(file, 0);
  fs.appendFileSync(file, '{"n":3}\n{"n":4}\n{"n":5}\n');
  assert.deepEqual(numbers(follower.read()), [3, 4, 5]);
  follower.close();
});

test('a half-written line is delivered only once its newline arrives', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.log');
  fs.writeFileSync(file, '{"n":0}\n{"n":');
  const follower = new LogFollower(file, 'beginning');
  assert.deepEqual(numbers(follower.read()), [0]);
  assert.deepEqual(follower.read(), []);
  fs.appendFileSync(file, '1}\n');
  assert.deepEqual(numbers(follower.read()), [1]);
  follower.close();
});

test('a saved position resumes in the rotated file it was in, then the newer ones, without repeating', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.log');
  const out = new RotatingFile(file, { maxBytes: 0, maxAgeSeconds: 0, keep: 10 });
  out.write('{"n":0}\n{"n":1}\n');
  const first = new LogFollower(file, 'beginning');
  assert.deepEqual(numbers(first.read(1)), [0]);
  const saved = first.position();
  first.close();
  assert.ok(saved);
  const copy = JSON.parse(JSON.stringify(saved)) as typeof saved;
  // While nobody follows: the file is rotated twice.
  out.write('{"n":2}\n');
  out.rotate();
  out.write('{"n":3}\n');
  out.rotate();
  out.write('{"n":4}\n');
  out.close();
  const second = new LogFollower(file, copy);
  assert.deepEqual(numbers(second.read()), [1, 2, 3, 4]);
  second.close();
});

test('history starts at the oldest rotated sibling; end starts after the last whole line', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.log');
  const out = new RotatingFile(file, { maxBytes: 0, maxAgeSeconds: 0, keep: 10 });
  out.write('{"n":0}\n');
  out.rotate();
  out.write('{"n":1}\n');
  out.close();
  fs.appendFileSync(file, '{"n":');
  const history = new LogFollower(file, 'history');
  assert.deepEqual(numbers(history.read()), [0, 1]);
  history.close();
  const tail = new LogFollower(file, 'end');
  assert.deepEqual(tail.read(), []);
  fs.appendFileSync(file, '2}\n{"n":3}\n');
  assert.deepEqual(numbers(tail.read()), [2, 3]);
  tail.close();
});

test('a file that does not exist yet is followed from its start once it appears', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'later.log');
  const follower = new LogFollower(file, 'end');
  assert.deepEqual(follower.read(), []);
  fs.writeFileSync(file, '{"n":7}\n');
  // 'end' applies to a file present at start; one created later is read whole.
  assert.deepEqual(numbers(follower.read()), [7]);
  follower.close();
});
