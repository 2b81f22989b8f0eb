// The command-line argument parser: flags, values, aliases and clear usage errors.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../runtime/cli/args';

const specs = [
  { name: 'json', description: 'json' },
  { name: 'plugin', value: true, description: 'plugin' },
  { name: 'follow', alias: 'f', description: 'follow' },
];

test('flags, values in both spellings, aliases and positionals', () => {
  const parsed = parseArgs(['a', '--json', '--plugin', 'p1', '-f', 'b'], specs);
  assert.deepEqual(parsed, { positionals: ['a', 'b'], options: { json: true, plugin: 'p1', follow: true } });
  assert.deepEqual(parseArgs(['--plugin=x=y'], specs).options, { plugin: 'x=y' });
});

test('everything after -- is positional, even a leading dash', () => {
  assert.deepEqual(parseArgs(['--', '-weird name'], specs).positionals, ['-weird name']);
});

test('unknown options and missing values are usage errors naming the option', () => {
  assert.throws(() => parseArgs(['--nope'], specs), (e: unknown) => e instanceof UsageError && e.message === 'unknown option --nope');
  assert.throws(() => parseArgs(['--plugin'], specs), /option --plugin needs a value/);
  assert.throws(() => parseArgs(['--json=1'], specs), /option --json takes no value/);
});
