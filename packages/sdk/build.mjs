// Builds the browser SDK:
//   dist/parley.js   classic script (IIFE) defining window.apiRTC / window.Parley, minified + map
//   dist/parley.mjs  ES module with the same named exports and a default namespace, minified + map
//   dist/parley.cjs  CommonJS module whose module.exports is the namespace (the shape of
//                    @apirtc/apirtc's main file, for bundlers and tools that require() it)
//   dist/parley.d.ts every public declaration in one self-contained file (dts-bundle-generator)
//   dist/processors/ the lazily loaded processors module (noise reduction, background blur/image),
//                    its background worker script
//                    with the worklet, wasm and model files it reads, copied from their npm packages
// and prints the gzip size of parley.js (benchmarked against apiRTC's bundle).
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { bundleTypes } from './tools/bundleTypes.mjs';

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
  esbuild.build({
    ...common,
    // `module.exports = apiRTC`, not an exports object with a `default` key, so
    // `require('@apirtc/apirtc')` gives what apiRTC's own package gives. The entry is an ES module
    // (a require() of the sources would stop esbuild from tree-shaking them, zod's schemas
    // included); the footer replaces the exports object by its default.
    stdin: { contents: "export { apiRTC as default } from './src/namespace.ts';", resolveDir: here, sourcefile: 'cjs-entry.ts', loader: 'ts' },
    format: 'cjs',
    footer: { js: 'module.exports = module.exports.default;' },
    outfile: join(dist, 'parley.cjs'),
    write: false,
  }),
  esbuild.build({
    ...common,
    entryPoints: [join(here, 'src/processors/lazy/entry.ts')],
    format: 'esm',
    outfile: join(dist, 'processors', 'parley-processors.mjs'),
    banner: { js: `/* Parley SDK ${version} processors */` },
    write: false,
  }),
  // The background workers' script: a classic script, as MediaPipe's loader uses importScripts.
  esbuild.build({
    ...common,
    entryPoints: [join(here, 'src/processors/lazy/background/workerEntry.ts')],
    format: 'iife',
    outfile: join(dist, 'processors', 'parley-processors-worker.js'),
    banner: { js: `/* Parley SDK ${version} background worker */` },
    write: false,
  }),
]);
mkdirSync(dist, { recursive: true });
mkdirSync(join(dist, 'processors'), { recursive: true });
for (const file of results.flatMap((r) => r.outputFiles)) {
  writeFileSync(`${file.path}.tmp`, file.contents);
  renameSync(`${file.path}.tmp`, file.path);
}
rmSync(join(dist, 'types'), { recursive: true, force: true });

// The files the processors module loads at run time, served from /sdk/processors/ like the rest
// of the SDK (nothing comes from a CDN). Only what the code paths use: RNNoise (plain and SIMD
// wasm, the browser picks) and MediaPipe's selfie segmentation (both wasm builds: its loader picks
// by SIMD support too; the landscape model is the one selected, the loader also asks for the graph).
// Neither package exports its package.json: find the folder the way Node would, walking up.
const pkgDir = (name) => {
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return join(dir, 'node_modules', name);
    if (dirname(dir) === dir) throw new Error(`${name} is not installed`);
  }
};
const assets = [
  ['@sapphi-red/web-noise-suppressor', 'dist/rnnoise/workletProcessor.js', 'rnnoise/workletProcessor.js'],
  ['@sapphi-red/web-noise-suppressor', 'dist/rnnoise.wasm', 'rnnoise.wasm'],
  ['@sapphi-red/web-noise-suppressor', 'dist/rnnoise_simd.wasm', 'rnnoise_simd.wasm'],
  ...[
    'selfie_segmentation.js',
    'selfie_segmentation.binarypb',
    'selfie_segmentation_landscape.tflite',
    'selfie_segmentation.tflite',
    'selfie_segmentation_solution_simd_wasm_bin.js',
    'selfie_segmentation_solution_simd_wasm_bin.wasm',
    'selfie_segmentation_solution_simd_wasm_bin.data',
    'selfie_segmentation_solution_wasm_bin.js',
    'selfie_segmentation_solution_wasm_bin.wasm',
  ].map((f) => ['@mediapipe/selfie_segmentation', f, `mediapipe/${f}`]),
];
for (const [pkg, from, to] of assets) {
  const target = join(dist, 'processors', to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(pkgDir(pkg), from), `${target}.tmp`);
  renameSync(`${target}.tmp`, target);
}

// Declarations: one file, no import of the private protocol package or of zod (tools/bundleTypes.mjs).
bundleTypes(here, join(dist, 'parley.d.ts'));

for (const file of ['parley.js', 'parley.mjs', 'parley.cjs', 'processors/parley-processors.mjs', 'processors/parley-processors-worker.js']) {
  const code = readFileSync(join(dist, file));
  console.log(`${file}: ${(code.length / 1024).toFixed(1)} KiB minified, ${(gzipSync(code, { level: 9 }).length / 1024).toFixed(1)} KiB gzip`);
}
