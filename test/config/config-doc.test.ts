// docs/CONFIGURATION.md is generated from the schema: it lists every key and is never stale.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderConfigurationDoc } from '../../runtime/config/config-doc';
import { BUILTIN_STEP_OPTIONS, schema } from '../../runtime/config/schema';

const docFile = path.resolve(__dirname, '../../../docs/CONFIGURATION.md');

test('docs/CONFIGURATION.md is exactly what the schema renders', () => {
  const rendered = renderConfigurationDoc();
  if (process.env.MFDATA_UPDATE_DOCS === '1') fs.writeFileSync(docFile, rendered);
  assert.equal(fs.readFileSync(docFile, 'utf8'), rendered, 'docs/CONFIGURATION.md is stale: MFDATA_UPDATE_DOCS=1 node scripts/run-tests.mjs config-doc');
});

test('every key of every section of the schema, and every built-in option, has a row in the doc', () => {
  const doc = fs.readFileSync(docFile, 'utf8');
  const keys = [
    ...Object.values(schema).flatMap((f) => f.sections.flatMap((s) => s.keys.map((k) => k.key))),
    ...Object.values(BUILTIN_STEP_OPTIONS).flatMap((keys) => keys.map((k) => k.key)),
  ];
  for (const key of new Set(keys)) assert.ok(doc.includes(`| \`${key}\` |`), `${key} is missing from docs/CONFIGURATION.md`);
  for (const f of Object.values(schema)) for (const s of f.sections) assert.ok(doc.includes(`[${s.title}]`), `[${s.title}] is missing`);
});
