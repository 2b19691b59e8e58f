// Builds the demo app into dist/: index.html, app.js (bundled TypeScript), app.css.
// The SDK is not bundled: the page loads it from the Parley server at /sdk/parley.js.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const common = { bundle: true, minify: true, sourcemap: true, target: ['chrome100', 'firefox100', 'safari15'], logLevel: 'warning' };
await Promise.all([
  build({ ...common, entryPoints: [join(root, 'src/main.ts')], outfile: join(dist, 'app.js'), format: 'iife' }),
  build({ ...common, entryPoints: [join(root, 'src/styles.css')], outfile: join(dist, 'app.css') }),
  copyFile(join(root, 'src/index.html'), join(dist, 'index.html')),
]);
console.log('meet: built dist/index.html, dist/app.js, dist/app.css');
