// Builds the React example into dist/: index.html and app.js (React, @apirtc/react-lib and the SDK
// all bundled; @apirtc/apirtc resolves to Parley's SDK package through the workspace override).
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await Promise.all([
  build({
    entryPoints: [join(root, 'src/main.tsx')],
    outfile: join(dist, 'app.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    // An ES module: the SDK reads its own URL from import.meta.url (empty in an IIFE bundle).
    format: 'esm',
    target: ['chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  }),
  copyFile(join(root, 'src/index.html'), join(dist, 'index.html')),
]);
console.log('react-example: built dist/index.html, dist/app.js');
