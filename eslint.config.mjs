// ESLint (flat config), run by `npm run lint` inside `npm test`; test/guardrails/ proves the rules bite.
// Syntax-only rules (no type information): the whole tree lints in about ten seconds on two cores.
//
// Size limits (house rules: small files with one job): `max-lines` 400 and `max-lines-per-function`
// 120 count every line, blank lines and comments included, as `wc -l` would. In test files a
// function's length is not limited: a `describe` or contract-suite callback is a container of
// tests, not a function with one job; the 400-line file limit applies to them all the same.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import local from './scripts/lint/noTestSleep.mjs';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'data/**',
      'coverage/**',
      '.tmp/**',
      // Deliberate violations, linted on their own by test/guardrails/guardrails.test.ts.
      'test/guardrails/fixtures/**',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': ['error', { max: 120, skipBlankLines: false, skipComments: false, IIFEs: true }],
      // `_name` marks a parameter or a destructured field that is deliberately left unused.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // French typography puts a narrow no-break space before « : ; ! ? » and inside « »: inside
      // strings and templates it is text, not layout.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipComments: true }],
    },
  },
  {
    files: ['client/web/**/*.{ts,tsx,js}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The Preact components and hooks. The two classic hook rules; the React-compiler rules of
    // eslint-plugin-react-hooks 7 (purity, refs, immutability…) assume React's compiler, not Preact.
    files: ['client/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['test/**/*.{ts,tsx,js,mjs}'],
    plugins: { local },
    rules: {
      'max-lines-per-function': 'off',
      'local/no-test-sleep': 'error',
    },
  },
  {
    // The one polling helper: the only place in test/ that waits between two looks.
    files: ['test/helpers/poll.ts'],
    rules: { 'local/no-test-sleep': 'off' },
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
