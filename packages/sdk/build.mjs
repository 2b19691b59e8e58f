// Builds the browser SDK:
//   dist/parley.js   classic script (IIFE) defining window.apiRTC / window.Parley, minified + map
//   dist/parley.mjs  ES module with the same named exports and a default namespace, minified + map
//   dist/types/      declarations (tsc, emitDeclarationOnly)
// and prints the gzip size of parley.js (benchmarked against apiRTC's bundle).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['es2020', 'chrome90'],
  platform: 'browser',
  // Workspace packages (@parley/protocol) are bundled from their TypeScript sources. They import
  // zod as a namespace (`import * as z`) so esbuild can drop the parts and locales not used.
  conditions: ['source'],
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: `/* Parley SDK ${version} — apiRTC 5.0.35 compatible API */` },
};

// A running server may be serving dist/ while we build: replace each file atomically (write a
// temporary file, then rename) instead of emptying the folder first.
const results = await Promise.all([
  esbuild.build({ ...common, entryPoints: [join(here, 'src/iife.ts')], format: 'iife', outfile: join(dist, 'parley.js'), write: false }),
  esbuild.build({ ...common, entryPoints: [join(here, 'src/index.ts')], format: 'esm', outfile: join(dist, 'parley.mjs'), write: false }),
]);
mkdirSync(dist, { recursive: true });
for (const file of results.flatMap((r) => r.outputFiles)) {
  writeFileSync(`${file.path}.tmp`, file.contents);
  renameSync(`${file.path}.tmp`, file.path);
}
rmSync(join(dist, 'types'), { recursive: true, force: true });

execFileSync(process.execPath, [join(here, '../../node_modules/typescript/bin/tsc'), '-p', here], { stdio: 'inherit' });

for (const file of ['parley.js', 'parley.mjs']) {
  const code = readFileSync(join(dist, file));
  console.log(`${file}: ${(code.length / 1024).toFixed(1)} KiB minified, ${(gzipSync(code, { level: 9 }).length / 1024).toFixed(1)} KiB gzip`);
}
