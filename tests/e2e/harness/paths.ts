import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute paths the harness needs, all derived from this file's location. */
const here = dirname(fileURLToPath(import.meta.url));

export const paths = {
  repoRoot: resolve(here, '../../..'),
  e2eRoot: resolve(here, '..'),
  artifacts: resolve(here, '../artifacts'),
  pageHelpers: resolve(here, 'page-helpers.js'),
  serverMain: resolve(here, '../../../packages/server/dist/main.js'),
  cliBin: resolve(here, '../../../packages/server/bin/parley.js'),
  sdkScript: resolve(here, '../../../packages/sdk/dist/parley.js'),
  meetIndex: resolve(here, '../../../apps/meet/dist/index.html'),
  apiSurface: resolve(here, '../../fixtures/api-surface.json'),
} as const;

/**
 * Fails with an actionable message when the built artefacts the suite runs against are missing
 * (the e2e suite tests the deployment shape: built server, built SDK, built app). Waits up to
 * `graceMs` first, so a rebuild running concurrently (which deletes then rewrites dist/) does not
 * fail the file.
 */
export async function assertBuilt(graceMs = 5000): Promise<void> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const missing = [paths.serverMain, paths.sdkScript, paths.meetIndex].filter((p) => !existsSync(p));
    if (missing.length === 0) return;
    if (Date.now() >= deadline) {
      throw new Error(`e2e: build output missing (${missing.join(', ')}). Run \`npm run build\` before \`npx vitest run --project e2e\`.`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
