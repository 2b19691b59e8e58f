// ESLint for the whole repository, run by `npm run lint` (part of `npm test`). TypeScript is
// linted with typescript-eslint's type-checked rules against each package's own tsconfig, so a
// rule sees the same types as the compiler; plain JavaScript (scripts, benchmarks, page helpers
// loaded into Chromium) gets the untyped recommended rules. Formatting is Prettier's job
// (`npm run format`), so no stylistic rule lives here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/', '**/dist/', 'coverage/', 'data/', '.parley-data/', 'bench/.work/', 'tests/e2e/artifacts/'],
  },
  // A disable comment that silences nothing is stale: it fails the run like any finding.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // The first project that contains a file types it: the test configs include tests.
        project: [
          'packages/protocol/tsconfig.test.json',
          'packages/server/tsconfig.test.json',
          'packages/sdk/tsconfig.test.json',
          'apps/meet/tsconfig.json',
          'tests/e2e/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A leading underscore marks a parameter kept for apiRTC's signature (stubs, overloads) or
      // an element destructured only to be left out of a rest object.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // apiRTC rejects and throws a plain `{ code, error }` object, not an Error (apps read
      // `err.code`); the SDK builds it in one place, util/errors.ts.
      '@typescript-eslint/only-throw-error': ['error', { allow: [{ from: 'file', name: 'ApiRTCError', path: 'packages/sdk/src/util/errors.ts' }] }],
      // A caught value passed on unchanged is not a new non-Error rejection.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingUnknown: true, allow: [{ from: 'file', name: 'ApiRTCError', path: 'packages/sdk/src/util/errors.ts' }] },
      ],
    },
  },
  {
    // The server logs through pino and the SDK through util/Logger.ts (apiRTC's log level), so a
    // stray console call bypasses the level and the log format.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/sdk/src/util/Logger.ts', 'packages/sdk/src/testing/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // Vitest's asymmetric matchers (expect.any, expect.stringMatching…) are typed `any` by design,
    // so every `toMatchObject({ message: expect.stringMatching(…) })` would be reported.
    // Test doubles implement async interfaces with synchronous bodies, and `expect(mock.method)`
    // reads a vi.fn() off its object without calling it.
    files: ['**/*.test.ts', 'packages/server/test/**/*.ts', 'packages/sdk/src/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Browser tests drive the SDK inside Chromium through page.evaluate(): the page has it as the
    // script-tag global `apiRTC`, typed `any` in the harness's page-globals.d.ts because the bundle
    // is loaded, not imported. Every access to it would otherwise be reported as unsafe.
    files: ['tests/e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // Root-level TypeScript that belongs to no package's tsconfig.
    files: ['vitest.config.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }] },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // Scripts injected into Chromium pages, and Node scripts whose functions run in a page
    // through page.evaluate() (benchmarks, offer capture).
    files: ['tests/e2e/**/*.js', 'tests/e2e/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
