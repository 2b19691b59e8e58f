// sdk-size: gzip size of Parley's browser SDK bundle (the core script served at /sdk/parley.js,
// i.e. packages/sdk/dist/parley.js; media processors are separate files and are not counted)
// divided by the gzip size of apiRTC's apiRTC.min.js from `npm pack @apirtc/apirtc`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { constants, brotliCompressSync, gzipSync } from 'node:zlib';
import { repoRoot } from '../lib/machine.mjs';
import { fmt, fmtBytes, fmtRatio } from '../lib/results.mjs';
import { ratio } from '../lib/stats.mjs';
import { bytesPerSource, groupOf } from '../lib/sourcemap.mjs';

export const meta = {
  name: 'sdk-size',
  title: 'SDK size: gzip(/sdk/parley.js) ÷ gzip(apiRTC.min.js)',
  timeoutMs: 5 * 60_000,
};

const TARGET = 0.3;

function sizes(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }).length,
  };
}

function walk(dir) {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Downloads and unpacks @apirtc/apirtc; returns {version, file, bytes}. */
function fetchApiRtc(dir) {
  let out;
  try {
    out = execFileSync('npm', ['pack', '@apirtc/apirtc', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 180_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    throw new Error(`npm pack @apirtc/apirtc failed (is the npm registry reachable?): ${(err.stderr || err.message).trim().split('\n').slice(-5).join(' / ')}`);
  }
  const info = JSON.parse(out.slice(out.indexOf('[')))[0];
  const tarball = join(dir, info.filename);
  if (!existsSync(tarball)) throw new Error(`npm pack reported ${info.filename} but it is not in ${dir}`);
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  const pkg = join(dir, 'package');
  let file = join(pkg, 'apiRTC.min.js');
  if (!existsSync(file)) {
    // Fall back to the largest minified script of the package, and say so.
    const candidates = walk(pkg)
      .filter((p) => p.endsWith('.min.js'))
      .sort((a, b) => statSync(b).size - statSync(a).size);
    if (!candidates.length) throw new Error(`@apirtc/apirtc@${info.version} has no apiRTC.min.js nor any *.min.js`);
    file = candidates[0];
  }
  return { version: info.version, file: relative(pkg, file), bytes: readFileSync(file) };
}

export async function run(ctx) {
  const { log } = ctx;
  const sdkPath = join(repoRoot, 'packages/sdk/dist/parley.js');
  if (!existsSync(sdkPath)) throw new Error(`${relative(repoRoot, sdkPath)} is missing: build the SDK (npm run build)`);
  const parley = sizes(readFileSync(sdkPath));

  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-apirtc-'));
  let api;
  try {
    log('• npm pack @apirtc/apirtc …');
    api = fetchApiRtc(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const apirtc = sizes(api.bytes);

  // What parley.js is made of, from its source map (minified bytes per source folder).
  const tables = [];
  if (existsSync(`${sdkPath}.map`)) {
    const perSource = bytesPerSource(sdkPath, `${sdkPath}.map`);
    const groups = new Map();
    for (const [src, n] of perSource) groups.set(groupOf(src), (groups.get(groupOf(src)) ?? 0) + n);
    const share = (n) => `${fmt((100 * n) / parley.raw, 1)} %`;
    const top = [...groups].sort((a, b) => b[1] - a[1]);
    const shown = top.slice(0, 12);
    const rest = top.slice(12).reduce((sum, [, n]) => sum + n, 0);
    tables.push({
      title: 'What /sdk/parley.js is made of (minified bytes by source folder, from parley.js.map)',
      columns: ['source folder', 'bytes', 'share'],
      rows: [...shown.map(([g, n]) => [g, fmtBytes(n), share(n)]), ...(rest ? [[`${top.length - 12} more folders`, fmtBytes(rest), share(rest)]] : [])],
    });
    tables.push({
      title: 'Largest source files in /sdk/parley.js',
      columns: ['source file', 'bytes', 'share'],
      rows: [...perSource]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([f, n]) => [f, fmtBytes(n), share(n)]),
    });
  }
  const gz = ratio(parley.gzip, apirtc.gzip);
  const met = gz <= TARGET;

  // What a page downloads in addition when it applies a processor (loaded on first use only).
  // A browser with wasm SIMD fetches the SIMD builds; the others are the fallbacks.
  const procDir = join(repoRoot, 'packages/sdk/dist/processors');
  if (existsSync(procDir)) {
    const part = (files) =>
      files.map((f) => sizes(readFileSync(join(procDir, f)))).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));
    const module = part(['parley-processors.mjs']);
    const noise = part(['rnnoise/workletProcessor.js', 'rnnoise_simd.wasm']);
    const seg = part([
      'mediapipe/selfie_segmentation.js',
      'mediapipe/selfie_segmentation.binarypb',
      'mediapipe/selfie_segmentation_landscape.tflite',
      'mediapipe/selfie_segmentation_solution_simd_wasm_bin.js',
      'mediapipe/selfie_segmentation_solution_simd_wasm_bin.wasm',
      // The background workers' script (both workers run it; fetched once).
      ...(existsSync(join(procDir, 'parley-processors-worker.js')) ? ['parley-processors-worker.js'] : []),
    ]);
    const row = (name, x) => [name, fmtBytes(x.raw), fmtBytes(x.gzip), fmtBytes(x.brotli)];
    const plus = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
    tables.unshift({
      title: 'Processors: loaded only when a page applies one (/sdk/processors/, SIMD builds)',
      columns: ['what', 'raw', 'gzip -9', 'brotli 11'],
      rows: [
        row('core /sdk/parley.js (without processors)', parley),
        row('processors module parley-processors.mjs', module),
        row('+ noise reduction (RNNoise worklet + wasm)', noise),
        row('+ background (MediaPipe script, wasm, graph, model; worker script)', seg),
        row('core + module + noise reduction', plus(plus(parley, module), noise)),
        row('core + module + noise reduction + background', plus(plus(plus(parley, module), noise), seg)),
      ],
    });
  }

  // --baseline FILE: another build of parley.js (e.g. the previous commit's), measured in the same
  // run, to show what a change did to the core's size.
  const baselineAt = ctx.args.indexOf('--baseline');
  if (baselineAt >= 0 && ctx.args[baselineAt + 1]) {
    const file = ctx.args[baselineAt + 1];
    const base = sizes(readFileSync(file));
    const d = (a, b) => `${a - b >= 0 ? '+' : '−'}${fmtBytes(Math.abs(a - b))}`;
    tables.unshift({
      title: `Core against a baseline build (${file})`,
      columns: ['file', 'raw', 'gzip -9', 'brotli 11'],
      rows: [
        ['baseline parley.js', fmtBytes(base.raw), fmtBytes(base.gzip), fmtBytes(base.brotli)],
        ['this build parley.js', fmtBytes(parley.raw), fmtBytes(parley.gzip), fmtBytes(parley.brotli)],
        ['difference', d(parley.raw, base.raw), d(parley.gzip, base.gzip), d(parley.brotli, base.brotli)],
        ['bytes (exact, gzip)', '', `${parley.gzip} / ${base.gzip}`, ''],
      ],
    });
  }

  return {
    headline: gz.toFixed(3),
    versions: { '@apirtc/apirtc': api.version },
    notes: [
      `Parley file: packages/sdk/dist/parley.js (served as /sdk/parley.js; core only, processors are separate files). apiRTC file: ${api.file} from npm pack @apirtc/apirtc@${api.version}.`,
      `gzip level 9 and brotli quality 11 with Node's zlib. Target gzip ratio ≤ ${TARGET}: ${met ? 'met' : 'MISSED'}.`,
    ],
    tables: [
      {
        title: 'Parley SDK vs apiRTC',
        columns: ['file', 'raw', 'gzip -9', 'brotli 11'],
        rows: [
          ['Parley /sdk/parley.js', fmtBytes(parley.raw), fmtBytes(parley.gzip), fmtBytes(parley.brotli)],
          [`apiRTC ${api.version} ${api.file}`, fmtBytes(apirtc.raw), fmtBytes(apirtc.gzip), fmtBytes(apirtc.brotli)],
          [
            'Parley ÷ apiRTC',
            fmtRatio(ratio(parley.raw, apirtc.raw)),
            `${fmtRatio(gz)} (target ≤ ${TARGET}: ${met ? 'met' : 'MISSED'})`,
            fmtRatio(ratio(parley.brotli, apirtc.brotli)),
          ],
          [
            'bytes (exact)',
            `${fmt(parley.raw)} / ${fmt(apirtc.raw)}`,
            `${fmt(parley.gzip)} / ${fmt(apirtc.gzip)}`,
            `${fmt(parley.brotli)} / ${fmt(apirtc.brotli)}`,
          ],
        ],
      },
      ...tables,
    ],
  };
}
