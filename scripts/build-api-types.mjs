// Writes dist/types/mfdata.d.ts: the step API's declarations (runtime/api) as one module file that plugin code
// maps `mfdata` to (tsconfig "paths"), so step code gets completion and type checks. Run by build.mjs.
import ts from 'typescript';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function buildApiTypes(root) {
  const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, declaration: true, strict: true };
  const declarations = (file) => {
    const out = ts.transpileDeclaration(readFileSync(join(root, file), 'utf8'), { compilerOptions: options, fileName: file, reportDiagnostics: true });
    if (out.diagnostics?.length) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(out.diagnostics[0].messageText, '\n')}`);
    return out.outputText;
  };
  // index.ts re-exports types.ts: inline both into one self-contained module.
  const types = declarations('runtime/api/types.ts');
  const index = declarations('runtime/api/index.ts')
    .split('\n')
    .filter((line) => !/^\s*(import|export)\b.*from '\.\/types';?$/.test(line) && !/^export \{\};?$/.test(line))
    .join('\n');
  const text = `// The \`mfdata\` step API for plugin code (generated from runtime/api by scripts/build-api-types.mjs).\n${types}\n${index}`;
  const target = join(root, 'dist/types/mfdata.d.ts');
  mkdirSync(join(root, 'dist/types'), { recursive: true });
  writeFileSync(target, text);
  return target;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(buildApiTypes(new URL('..', import.meta.url).pathname));
}
