// Lint configuration: typescript-eslint's recommended rules plus the project's boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'examples/**/dist/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration[declaration.id=null]', message: 'no default exports of anonymous things' }],
    },
  },
  {
    // The runtime runs without VS Code: it must never import it.
    files: ['runtime/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'runtime/ never imports vscode' }] }] },
  },
  {
    // The configuration language service is a plain module (tested without an editor): only src/language/*.ts adapt it to VS Code.
    files: ['src/language/service/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/language/service/ never imports vscode: adapt it in src/language/*.ts' }] }] },
  },
);
