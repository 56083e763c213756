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

  // TEMPORARY: being split on another branch — the lead removes this at merge.
  // Files over 400 lines or with functions over 120 lines that their owners are splitting now:
  // authService.ts and the account stores (helper root), room.ts (session), docSync.ts (tests),
  // LogView, TaskBoard, Room, RegulatoryView (layouts), i18n.ts (labels). Their other findings
  // (hook dependencies, unused names) are left to the same split.
  {
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    files: [
      'server/auth/authService.ts',
      'server/auth/sqlite/sqliteAccountStore.ts',
      'server/auth/postgres/postgresAccountStore.ts',
      'server/documents/room.ts',
      'client/sdk/docSync.ts',
      'client/web/src/components/LogView.tsx',
      'client/web/src/components/TaskBoard.tsx',
      'client/web/src/components/Room.tsx',
      'client/web/src/components/RegulatoryView.tsx',
      'client/web/src/i18n.ts',
    ],
    rules: {
      'max-lines': 'off',
      'max-lines-per-function': 'off',
      'react-hooks/exhaustive-deps': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
  // TEMPORARY: being split on another branch — the lead removes this at merge.
  // Over the limits too, and being rewritten by their owners: createServer.ts (helper root, the
  // composition root), socketTransport.ts (session, the connection session), and test files of
  // helpers tests/memory/layouts (room.test.ts, rolling.ts, documentStore.contract.ts).
  {
    files: [
      'server/createServer.ts',
      'server/transport/socket/socketTransport.ts',
      'test/browser/room.test.ts',
      'test/cluster/helpers/rolling.ts',
      'test/contracts/documentStore.contract.ts',
    ],
    rules: { 'max-lines': 'off', 'max-lines-per-function': 'off' },
  },
  // TEMPORARY: the fixed sleeps being removed on another branch (helper tests, with the one polling
  // helper test/helpers/poll.ts) — the lead removes this at merge.
  {
    files: [
      'test/browser/harness.ts',
      'test/browser/regulatory.test.ts',
      'test/browser/room.test.ts',
      'test/browser/timeline.test.ts',
      'test/cluster/helpers/cluster.ts',
      'test/cluster/helpers/clusterLock.ts',
      'test/cluster/helpers/nginx.ts',
      'test/cluster/helpers/rolling.ts',
      'test/cluster/helpers/rollingLoad.ts',
      'test/cluster/helpers/writers.ts',
      'test/contracts/documentStore.contract.ts',
      'test/security/authentication.test.ts',
      'test/security/budgets.test.ts',
      'test/security/exploits.test.ts',
      'test/security/readRights.test.ts',
      'test/timeline/checkpoints.test.ts',
      'test/timeline/exports.test.ts',
    ],
    rules: { 'local/no-test-sleep': 'off' },
  },
);
