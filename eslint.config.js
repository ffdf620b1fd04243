// ESLint flat config (issue #14 item 6). `npm run lint` runs it with knip and dependency-cruiser.
//
// Errors: the recommended rule sets of ESLint and typescript-eslint, plus the type-aware promise
// rules (a floating or misused promise is a real bug in a server). Warnings: `complexity` and
// `max-lines-per-function` (80 lines, blanks and comments not counted) everywhere, except that in
// src/ a function over 80 lines is an error (issue #14: no function over 80 lines in src/).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'test-output/**', 'data/**', 'docs/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        // Type information for the promise rules; each file uses the nearest tsconfig.json
        // (the root one for src/test/bench, web/tsconfig.json for the browser app).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // node:test's top-level test()/describe() return promises the runner itself awaits; a
      // subtest (t.test) is still flagged unless awaited.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.js'],
    rules: {
      complexity: ['warn', 20],
      'max-lines-per-function': ['warn', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'test/**/*.js', 'bench/**/*.ts', 'bin/**/*.js', '*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['web/**/*.ts', 'web/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['web/public/sw.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
);
