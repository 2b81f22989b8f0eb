// Logger levels as mflog: MFLOG_MINIMAL_LEVEL, a step's debug=1, and `pattern => LEVEL` overrides (first match wins).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { levelEnabled, minimalLevel } from '../../runtime/log/levels';
import { fnmatchToRegExp, loadOverrides, LogOverrideError, overrideLevel, parseOverrides } from '../../runtime/log/overrides';

test('override files: comments, blank lines, any case for the level; the first matching pattern wins', () => {
  const rules = parseOverrides('# quiet the observer\n\ndirectory_observer => warning\nmfdata.ingest.* => DEBUG\nmfdata.* => ERROR\n');
  assert.equal(overrideLevel(rules, 'directory_observer'), 'warning');
  assert.equal(overrideLevel(rules, 'mfdata.ingest.convert'), 'debug');
  assert.equal(overrideLevel(rules, 'mfdata.other.step'), 'error');
  assert.equal(overrideLevel(rules, 'conf_monitor'), undefined);
});

test('a malformed override line is an error naming the file, the line and the expected shape', () => {
  assert.throws(() => parseOverrides('a => info\nb = info\n', '/h/config/mflog_override.conf'), (e: unknown) =>
    e instanceof LogOverrideError && e.message.startsWith("/h/config/mflog_override.conf:2: no '=>' in 'b = info' (expected 'pattern => LEVEL'"));
  assert.throws(() => parseOverrides('a => loud'), /:1: unknown level 'loud'/);
});

test('fnmatch patterns: *, ?, [seq], [!seq], and dots are literal', () => {
  assert.ok(fnmatchToRegExp('mfdata.*.s?').test('mfdata.p.s1'));
  assert.ok(!fnmatchToRegExp('mfdata.p').test('mfdataXp'));
  assert.ok(fnmatchToRegExp('step_[ab]').test('step_a'));
  assert.ok(!fnmatchToRegExp('step_[!ab]').test('step_a'));
});

test('minimal level: override, then the step debug flag, then MFLOG_MINIMAL_LEVEL, then INFO', () => {
  const overrides = parseOverrides('mfdata.p.noisy => ERROR');
  assert.equal(minimalLevel({ loggerName: 'mfdata.p.noisy', debug: true, envLevel: 'DEBUG', overrides }), 'error');
  assert.equal(minimalLevel({ loggerName: 'mfdata.p.s', debug: true, envLevel: 'ERROR', overrides }), 'debug');
  assert.equal(minimalLevel({ loggerName: 'mfdata.p.s', envLevel: 'WARNING' }), 'warning');
  assert.equal(minimalLevel({ loggerName: 'mfdata.p.s', envLevel: 'nonsense' }), 'info');
  assert.equal(minimalLevel({ loggerName: 'x' }), 'info');
  assert.ok(levelEnabled('error', 'warning'));
  assert.ok(!levelEnabled('info', 'warning'));
});

test('overrides are read from <home>/config/mflog_override.conf; no file means no rules', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-ovr-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(loadOverrides(dir), []);
  fs.writeFileSync(path.join(dir, 'mflog_override.conf'), 'conf_monitor => DEBUG\n');
  assert.deepEqual(loadOverrides(dir), [{ pattern: 'conf_monitor', level: 'debug', file: path.join(dir, 'mflog_override.conf'), line: 1 }]);
});
