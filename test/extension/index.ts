// Entry point the extension host loads as extensionTestsPath: runs the in-host mocha suites bundled
// next to it (`*.host.js`) and settles run() with the result (a rejection makes the host exit 1).
// MFDATA_HOST_SUITES (comma-separated file-name substrings) picks suites; default: every suite but
// those named `untrusted*` (a host with workspace trust enabled) and `multiroot*` (a multi-root workspace).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const wanted = (process.env.MFDATA_HOST_SUITES ?? '').split(',').filter(Boolean);
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.host.js'))
    .filter((f) => (wanted.length > 0 ? wanted.some((w) => f.includes(w)) : !f.startsWith('untrusted') && !f.startsWith('multiroot')))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    if (files.length === 0) return reject(new Error(`no in-host suite matches MFDATA_HOST_SUITES=${wanted.join(',')} in ${__dirname}`));
    mocha.run((failures) => {
      console.log(`MFDATA_HOST_TESTS_DONE failures=${failures}`);
      if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
      else resolve();
    });
  });
}
