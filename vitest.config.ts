import { defineConfig } from 'vitest/config';

// Three suites, run in this order by scripts/test.mjs:
//  unit         pure logic beside the code, no sockets
//  integration  a real server on an ephemeral port, real WebSocket clients
//  e2e          real Chromium (playwright-core) against a real server
// Workspace packages resolve to their TypeScript sources through the "source" condition,
// so tests never depend on a stale build.
const resolve = { conditions: ['source'] };
// Tests run in Node (SSR in Vite's terms): resolve workspace packages to their sources there
// too, never to possibly stale dist/ builds.
const ssr = { resolve: { conditions: ['source', 'node', 'import', 'default'], externalConditions: ['source'] } };

export default defineConfig({
  resolve,
  ssr,
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.int.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Chromium instances are heavy on a 2-core machine: one file at a time.
          fileParallelism: false,
          pool: 'forks',
        },
      },
      {
        // Tools, never run by `npm test`: re-recording the fuzz corpus, crash hunting. Run one by
        // name: `npx vitest run --project tools tests/e2e/fuzz/fuzz-hunt.tool.ts`.
        resolve,
        ssr,
        test: {
          name: 'tools',
          include: ['tests/e2e/**/*.tool.ts'],
          environment: 'node',
          testTimeout: 1_800_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});
