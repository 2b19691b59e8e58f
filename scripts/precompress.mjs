// `node scripts/precompress.mjs <folder>...` (run by `npm run build`): writes a brotli (.br) and a
// gzip (.gz) copy next to every compressible file of the given build folders, so the server sends
// compressed bytes without compressing per request (packages/server/src/http/static/StaticDirectory.ts).
// A copy is kept only when it saves at least 5 %; a copy newer than its source is left as it is,
// so a rebuild recompresses only what changed.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Text and binary formats that compress (images, fonts and archives already are). */
const COMPRESSIBLE = /\.(?:html|js|mjs|css|map|json|svg|txt|wasm|tflite|onnx|binarypb|data)$/i;
/** Below this, the headers outweigh the saving. */
const MIN_BYTES = 1024;
/** Brotli's best quality is slow on multi-megabyte model files; those get a lower one. */
const LARGE_BYTES = 1024 * 1024;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

function write(path, data, original) {
  if (data.length > original.length * 0.95) {
    rmSync(path, { force: true });
    return 0;
  }
  writeFileSync(path, data);
  return data.length;
}

const folders = process.argv.slice(2);
if (folders.length === 0) {
  console.error('usage: node scripts/precompress.mjs <folder>...');
  process.exit(2);
}
let before = 0;
let brotli = 0;
let count = 0;
for (const folder of folders.map((f) => resolve(f))) {
  for (const path of files(folder)) {
    if (!COMPRESSIBLE.test(path)) continue;
    const { size, mtimeMs } = statSync(path);
    if (size < MIN_BYTES) continue;
    const fresh = (suffix) => {
      try {
        return statSync(path + suffix).mtimeMs >= mtimeMs;
      } catch {
        return false;
      }
    };
    if (fresh('.br') && fresh('.gz')) continue;
    const data = readFileSync(path);
    const quality = size > LARGE_BYTES ? 9 : constants.BROTLI_MAX_QUALITY;
    const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: size } });
    brotli += write(path + '.br', br, data) || size;
    write(path + '.gz', gzipSync(data, { level: 9 }), data);
    before += size;
    count++;
  }
}
if (count > 0) console.log(`precompress: ${count} files, ${(before / 1024).toFixed(0)} KiB → ${(brotli / 1024).toFixed(0)} KiB with brotli`);
