// guess_file_type's file inspection: libmagic descriptions through one file(1) process, custom magic, ascii_header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { asciiHeader, FileMagic, MAGIC_EXCEPTION } from '../../runtime/steps/libmagic';

test('descriptions come from libmagic, in order, through one long-lived process; odd names work too', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-magic-'));
  const magic = new FileMagic();
  try {
    const gz = path.join(dir, 'a.gz');
    const txt = path.join(dir, 'odd\nname $(x).txt');
    fs.writeFileSync(gz, zlib.gzipSync('hello'));
    fs.writeFileSync(txt, 'hello world\n');
    const [a, b, c] = await Promise.all([magic.describe(gz), magic.describe(txt), magic.describe(path.join(dir, 'missing'))]);
    assert.match(a, /^gzip compressed data/);
    assert.match(b, /^ASCII text/);
    assert.match(c, /cannot open|No such file/);
  } finally {
    magic.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a custom magic file gives its own description; a missing file(1) yields magic_exception', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-magic-'));
  const custom = new FileMagic(path.join(dir, 'my.magic'));
  const absent = new FileMagic(undefined, path.join(dir, 'no-such-file-command'));
  try {
    fs.writeFileSync(path.join(dir, 'my.magic'), '0\tstring\tMFDATA1\tMFDATA test format, version 1\n');
    fs.writeFileSync(path.join(dir, 'x.bin'), 'MFDATA1 payload');
    assert.equal(await custom.describe(path.join(dir, 'x.bin')), 'MFDATA test format, version 1');
    assert.equal(absent.available(), false);
    assert.equal(await absent.describe(path.join(dir, 'x.bin')), MAGIC_EXCEPTION);
  } finally {
    custom.close();
    absent.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ascii_header keeps bytes 32-126 only, stripped', () => {
  assert.equal(asciiHeader(Buffer.from([0x1f, 0x8b, 0x08, 0x20, 0x41, 0x42, 0x0a, 0x43, 0xff, 0x20])), 'AB' + 'C');
  assert.equal(asciiHeader(Buffer.from('  GRIB header  ')), 'GRIB header');
});
