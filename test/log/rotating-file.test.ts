// The rotating log file: size and age rotation, MFDATA's `.%Y%m%d%H%M%S` suffix, N kept, whole lines only.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RotatingFile } from '../../runtime/log/rotating-file';
import { isRotatedName, listRotated, rotatedName } from '../../runtime/log/rotated-files';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-rot-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('size: a write that would pass maxBytes goes to a new file; the old one gets a UTC stamp suffix', (t) => {
  const file = path.join(tempDir(t), 'conf_monitor.log');
  const clock = Date.UTC(2026, 10, 27, 20, 41, 56);
  const out = new RotatingFile(file, { maxBytes: 20, maxAgeSeconds: 0, keep: 5, now: () => clock });
  out.write('0123456789\n');
  out.write('abcdefgh\n');
  out.write('next file\n');
  out.close();
  assert.deepEqual(listRotated(file).map((f) => path.basename(f)), ['conf_monitor.log.20261127204156']);
  assert.equal(fs.readFileSync(`${file}.20261127204156`, 'utf8'), '0123456789\nabcdefgh\n');
  assert.equal(fs.readFileSync(file, 'utf8'), 'next file\n');
  assert.equal(fs.statSync(file).mode & 0o777, 0o644);
});

test('several rotations in one second get -N suffixes and stay in order; only `keep` rotated files remain', (t) => {
  const file = path.join(tempDir(t), 'a.log');
  const out = new RotatingFile(file, { maxBytes: 4, maxAgeSeconds: 0, keep: 3, now: () => 0 });
  for (let i = 0; i < 6; i++) out.write(`${i}..\n`);
  out.close();
  const rotated = listRotated(file);
  assert.deepEqual(rotated.map((f) => path.basename(f)), ['a.log.19700101000000-2', 'a.log.19700101000000-3', 'a.log.19700101000000-4']);
  assert.deepEqual(rotated.map((f) => fs.readFileSync(f, 'utf8')), ['2..\n', '3..\n', '4..\n']);
  assert.equal(fs.readFileSync(file, 'utf8'), '5..\n');
});

test('age: the first write after maxAgeSeconds starts a new file', (t) => {
  const file = path.join(tempDir(t), 'a.log');
  let clock = 1_000_000;
  const out = new RotatingFile(file, { maxBytes: 0, maxAgeSeconds: 60, keep: 5, now: () => clock });
  out.write('old\n');
  clock += 59_000;
  out.write('still old\n');
  clock += 1_000;
  out.write('new\n');
  out.close();
  assert.equal(listRotated(file).length, 1);
  assert.equal(fs.readFileSync(file, 'utf8'), 'new\n');
});

test('line sinks keep each source whole-lined, so two processes never interleave mid-line', (t) => {
  const file = path.join(tempDir(t), 'a.log');
  const out = new RotatingFile(file, { maxBytes: 0, maxAgeSeconds: 0, keep: 5 });
  const a = out.lineSink();
  const b = out.lineSink();
  a.write('{"from":"a",');
  b.write('{"from":"b"}\n{"fr');
  a.write('"n":1}\n');
  b.write('om":"b2"}\n');
  a.write('tail without newline');
  a.end();
  out.close();
  assert.equal(fs.readFileSync(file, 'utf8'), '{"from":"b"}\n{"from":"a","n":1}\n{"from":"b2"}\ntail without newline\n');
});

test('rotated names: collision suffixes and recognising rotated siblings', () => {
  const at = Date.UTC(2026, 0, 1);
  assert.equal(rotatedName('/l/a.log', at, []), '/l/a.log.20260101000000');
  assert.equal(rotatedName('/l/a.log', at, ['/l/a.log.20260101000000']), '/l/a.log.20260101000000-1');
  // The plain name was pruned but -2 is still there: the next one must sort after it.
  assert.equal(rotatedName('/l/a.log', at, ['/l/a.log.20260101000000-2']), '/l/a.log.20260101000000-3');
  assert.ok(isRotatedName('a.log.20260101000000'));
  assert.ok(isRotatedName('a.log.20260101000000-3'));
  assert.ok(!isRotatedName('a.log'));
});
