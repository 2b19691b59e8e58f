// Builds the demo app into dist/: index.html, app.js (bundled TypeScript), app.css.
// The SDK is not bundled: the page loads it from the Parley server at /sdk/parley.js.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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
]);
// The page names its script and styles with their content tag (`?v=`, the first 16 hex digits of
// the SHA-256, as the server computes it: packages/server/src/http/static/FileVersions.ts), so the
// server lets browsers cache them for a year and a rebuild changes the URL.
const tag = async (file) =>
  createHash('sha256')
    .update(await readFile(join(dist, file)))
    .digest('hex')
    .slice(0, 16);
const html = (await readFile(join(root, 'src/index.html'), 'utf8'))
  .replace('href="app.css"', `href="app.css?v=${await tag('app.css')}"`)
  .replace('src="app.js"', `src="app.js?v=${await tag('app.js')}"`);
await writeFile(join(dist, 'index.html'), html);
console.log('meet: built dist/index.html, dist/app.js, dist/app.css');
