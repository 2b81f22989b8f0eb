// Pure parts of the built-in steps: destination names, retry waits, fork command templates and their output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DestBasenameError, expandDestBasename, validateDestBasename } from '../../runtime/steps/dest-basename';
import { nextRetry, retryDelay, RetryPolicyError, validateRetryPolicy } from '../../runtime/steps/retry-delay';
import { forkArgv, ForkTemplateError, parseForkCommand, parseForkOutput, splitCommandLine } from '../../runtime/steps/fork-command';

const values = {
  originalBasename: 'obs 50%.txt', originalDirname: 'incoming', originalUid: 'a'.repeat(32), stepCounter: '3',
  now: new Date(Date.UTC(2024, 1, 29, 7, 5, 9, 123)), randomId: () => 'f00d',
};

const names: [string, string, boolean?][] = [
  ['{ORIGINAL_BASENAME}', 'obs 50%.txt'],
  ['{ORIGINAL_DIRNAME}-{STEP_COUNTER}-{RANDOM_ID}', 'incoming-3-f00d'],
  ['%Y%m%d/{ORIGINAL_UID}', `20240229/${'a'.repeat(32)}`, true],
  ['%Y-%m-%dT%H:%M:%S.%f_%j_%y_%%', '2024-02-29T07:05:09.123000_060_24_%'],
  ['%H%I%p_%a_%b_%s', '0707AM_Thu_Feb_1709190309'],
];
for (const [template, expected, subdirs] of names) {
  test(`dest_basename '${template}' expands to '${expected}'`, () => {
    assert.equal(expandDestBasename(template, values, subdirs ?? false), expected);
  });
}

test('a substituted value never makes a directory, and is never read as a directive', () => {
  assert.equal(expandDestBasename('{ORIGINAL_BASENAME}', { ...values, originalBasename: '../etc/%Y' }), '.._etc_%Y');
});

test('bad dest_basename templates are refused with the reason', () => {
  assert.throws(() => validateDestBasename('{ORIGNAL_UID}'), (e: unknown) => e instanceof DestBasenameError && /unknown placeholder '\{ORIGNAL_UID\}'/.test(e.message));
  assert.throws(() => validateDestBasename('%Q'), /unknown strftime directive '%Q'/);
  assert.throws(() => validateDestBasename('%Y/x'), /cannot contain '\/'/);
  assert.throws(() => validateDestBasename('../x', true), /'\.\.'/);
  assert.throws(() => validateDestBasename('/abs', true), /relative/);
  assert.throws(() => validateDestBasename(''), /empty/);
});

test('retry waits follow min(min_wait + backoff·2^(attempt−1), max_wait)', () => {
  const p = { total: 5, minWait: 1, maxWait: 10, backoff: 2 };
  assert.deepEqual([1, 2, 3, 4, 5].map((a) => retryDelay(p, a)), [3, 5, 9, 10, 10]);
  assert.equal(retryDelay({ total: 3, minWait: 10, maxWait: 120, backoff: 0 }, 3), 10);
  assert.deepEqual(nextRetry(p, 0), { action: 'retry', attempt: 1, delaySeconds: 3 });
  assert.deepEqual(nextRetry(p, 5), { action: 'give_up' });
  assert.throws(() => validateRetryPolicy({ total: 1, minWait: 5, maxWait: 1, backoff: 0 }), RetryPolicyError);
});

test('a command template is split into words without a shell; quotes group, nothing expands', () => {
  assert.deepEqual(splitCommandLine(`convert -q "a b" 'it''s' \\$HOME x\\ y {PATH}`), ['convert', '-q', 'a b', 'its', '$HOME', 'x y', '{PATH}']);
  const cmd = parseForkCommand('gzip -k --suffix=.z {PATH}');
  const evil = '/in/tmp/x; rm -rf ~ $(reboot)';
  assert.deepEqual(forkArgv(cmd, evil), { file: 'gzip', args: ['-k', '--suffix=.z', evil] });
  assert.deepEqual(forkArgv(parseForkCommand('tool --in={PATH}'), '/a b').args, ['--in=/a b']);
});

test('an explicit shell gets the path as an argument, never inside its script', () => {
  const cmd = parseForkCommand(`sh -c 'wc -c < "$1"' sh {PATH}`);
  assert.deepEqual(forkArgv(cmd, '/x'), { file: 'sh', args: ['-c', 'wc -c < "$1"', 'sh', '/x'] });
  assert.throws(() => parseForkCommand(`sh -c 'wc -c {PATH}'`), (e: unknown) => e instanceof ForkTemplateError && /shell code/.test(e.message));
  assert.throws(() => parseForkCommand('gzip {PATH} | tee x'), /shell operator '\|'/);
  assert.throws(() => parseForkCommand('gzip -k'), /does not contain \{PATH\}/);
  assert.throws(() => parseForkCommand(`echo 'x`), /unclosed single quote/);
});

test('FILEPATH: lines name the outputs; relative ones are rejected; other lines are ignored', () => {
  const out = parseForkOutput('working…\nFILEPATH:/tmp/a.txt\r\n  FILEPATH: /tmp/b c.txt \nFILEPATH:rel.txt\nFILEPATH:/tmp/a.txt\n');
  assert.deepEqual(out, { paths: ['/tmp/a.txt', '/tmp/b c.txt'], rejected: ['rel.txt'] });
});
