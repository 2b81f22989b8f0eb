// The INI parser: positions of every section, key, value and comment, and MFDATA's syntax rules.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseIni, getEntry, getSection, MAX_LINE_LENGTH } from '../../runtime/config/ini-parser';
import { formatProblem } from '../../runtime/config/errors';

const messages = (text: string | Uint8Array): string[] => parseIni(text, 'c.ini').problems.map(formatProblem);

test('sections, keys and values keep their line and column ranges', () => {
  const doc = parseIni('# head\n[general]\n  _version =  1.0.0  \n\n[step_main]\nnumprocesses=2\n', 'c.ini');
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.sections.length, 2);
  const general = doc.sections[0];
  assert.deepEqual(general.headerSpan, { line: 2, column: 1, endColumn: 10 });
  assert.deepEqual(general.nameSpan, { line: 2, column: 2, endColumn: 9 });
  assert.equal(general.endLine, 4);
  const version = general.entries[0];
  assert.equal(version.key, '_version');
  assert.deepEqual(version.keySpan, { line: 3, column: 3, endColumn: 11 });
  assert.equal(version.value, '1.0.0');
  assert.deepEqual(version.valueSpan, { line: 3, column: 15, endColumn: 20 });
  assert.deepEqual(doc.comments, [{ line: 1, column: 1, endColumn: 7, text: '# head' }]);
  assert.equal(getEntry(getSection(doc, 'step_main'), 'numprocesses')?.value, '2');
});

test('a # after a value is part of the value, as in MFDATA; ; and # start full-line comments only', () => {
  const doc = parseIni('[custom]\nurl = http://x/#frag # not a comment\n; comment\n', 'c.ini');
  assert.equal(doc.sections[0].entries[0].value, 'http://x/#frag # not a comment');
  assert.equal(doc.comments.length, 1);
});

test('keys are case-sensitive and an empty value is allowed', () => {
  const doc = parseIni('[custom]\nKey = A\nkey =\n', 'c.ini');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.sections[0].entries.map((e) => [e.key, e.value]), [['Key', 'A'], ['key', '']]);
});

test('an empty file is a valid empty document', () => {
  const doc = parseIni('', 'c.ini');
  assert.deepEqual([doc.sections, doc.problems, doc.lineCount], [[], [], 0]);
});

test('a BOM is dropped and CRLF line ends are handled, columns unaffected', () => {
  const doc = parseIni('\uFEFF[general]\r\n_version = 1\r\n', 'c.ini');
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.sections[0].name, 'general');
  assert.deepEqual(doc.sections[0].headerSpan, { line: 1, column: 1, endColumn: 10 });
  assert.equal(doc.sections[0].entries[0].value, '1');
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[a]\r\nk=v\r\n')]);
  assert.equal(parseIni(bytes, 'c.ini').sections[0].entries[0].value, 'v');
});

test('tabs count as one column and are blanks around keys and values', () => {
  const doc = parseIni('[a]\n\tk\t=\tv\n', 'c.ini');
  assert.deepEqual(doc.sections[0].entries[0].keySpan, { line: 2, column: 2, endColumn: 3 });
  assert.deepEqual(doc.sections[0].entries[0].valueSpan, { line: 2, column: 6, endColumn: 7 });
});

test('duplicate sections and keys are reported with both positions', () => {
  assert.deepEqual(messages('[a]\nk=1\nk=2\n[a]\n'), [
    "c.ini:3:1: error: duplicate key 'k' in [a] (first defined at line 2) (keep only one of them)",
    'c.ini:4:2: error: duplicate section [a] (first defined at line 1) (merge the two sections into one)',
  ]);
});

test('syntax errors name the line and say what to write', () => {
  assert.deepEqual(messages('k = v\n'), ["c.ini:1:1: error: key 'k' outside any section (put it under a [section] header)"]);
  assert.deepEqual(messages('[a]\nnumprocesses: 2\n'), [
    "c.ini:2:1: error: missing '=': MFDATA configuration uses '=' only (write 'numprocesses = 2')",
  ]);
  assert.deepEqual(messages('[a]\njust words\n'), [
    "c.ini:2:1: error: expected 'key = value', a [section] header or a comment (add '=' between the key and its value)",
  ]);
  assert.deepEqual(messages('[step_main\n'), ["c.ini:1:1: error: unclosed section header (end the header with ']')"]);
  assert.deepEqual(messages('[a]\nk = one\n  two\n'), [
    'c.ini:3:3: error: continuation lines are not supported (put the whole value on the line of its key, or remove the indentation)',
  ]);
  assert.deepEqual(messages('[a] # c\n'), ['c.ini:1:5: error: unexpected text after section header [a] (comments must be on their own line)']);
  assert.deepEqual(messages('[a]\n= v\n'), ["c.ini:2:1: error: missing key before '=' (write 'key = value')"]);
});

test('non-UTF-8 bytes are reported on their line; the rest is still parsed', () => {
  const bytes = Buffer.concat([Buffer.from('[a]\nk = caf'), Buffer.from([0xe9]), Buffer.from('\nj = ok\n')]);
  const doc = parseIni(bytes, 'c.ini');
  assert.deepEqual(doc.problems.map(formatProblem), ['c.ini:2:8: error: invalid UTF-8 byte sequence (save the file as UTF-8)']);
  assert.equal(getEntry(doc.sections[0], 'j')?.value, 'ok');
});

test('a 1 MB line is refused without crashing', () => {
  const line = 'k = ' + 'x'.repeat(1024 * 1024);
  assert.deepEqual(messages(`[a]\n${line}\n`), [
    `c.ini:2:1: error: line is ${line.length} characters long (limit ${MAX_LINE_LENGTH}) (split the value or read it from a file)`,
  ]);
});

test('key[VARIANT] is parsed as a variant of key; switch rule patterns with brackets are not', () => {
  const doc = parseIni('[step_main]\nnumprocesses[DEV] = 4\n[switch_rules:fnmatch:x]\n*.[ch] = main\n', 'c.ini');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual([doc.sections[0].entries[0].key, doc.sections[0].entries[0].variant], ['numprocesses', 'DEV']);
  assert.equal(doc.sections[1].entries[0].key, '*.[ch]');
});
