import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Folder of an installed package (the workspace folder for `@parley/*`), found through its
 * `package.json` export; null when the package is not installed.
 */
export function locatePackageDir(name: string): string | null {
  const specifier = `${name}/package.json`;
  try {
    // import.meta.resolve is synchronous in Node ≥ 20.6; some test runners do not provide it.
    if (typeof import.meta.resolve === 'function') return dirname(fileURLToPath(import.meta.resolve(specifier)));
  } catch {
    // Fall through to require.resolve, which reads the same exports map.
  }
  try {
    return dirname(createRequire(import.meta.url).resolve(specifier));
  } catch {
    return null;
  }
}
