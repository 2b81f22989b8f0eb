// The rotating log writer: size-based rotation keeping N old files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RotatingFile } from '../../runtime/util/rotating-file';

test('rotates before a write would pass maxBytes and keeps only N old files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfs-rot-'));
  try {
    const file = path.join(dir, 'log', 'w.log');
    const writer = new RotatingFile(file, { maxBytes: 20, keep: 2 });
    for (let i = 0; i < 5; i++) writer.write(`line-${i}-123456789\n`); // 17 bytes each: one per file
    writer.close();
    assert.deepEqual(fs.readdirSync(path.dirname(file)).sort(), ['w.log', 'w.log.1', 'w.log.2']);
    assert.equal(fs.readFileSync(file, 'utf8'), 'line-4-123456789\n');
    assert.equal(fs.readFileSync(`${file}.1`, 'utf8'), 'line-3-123456789\n');
    assert.equal(fs.readFileSync(`${file}.2`, 'utf8'), 'line-2-123456789\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('appends to an existing file and counts its size', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfs-rot-'));
  try {
    const file = path.join(dir, 'w.log');
    fs.writeFileSync(file, 'x'.repeat(15));
    const writer = new RotatingFile(file, { maxBytes: 20, keep: 1 });
    writer.write('0123456789\n');
    writer.close();
    assert.equal(fs.readFileSync(`${file}.1`, 'utf8'), 'x'.repeat(15));
    assert.equal(fs.readFileSync(file, 'utf8'), '0123456789\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
