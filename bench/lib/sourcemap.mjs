// Attributes the bytes of a generated (minified) file to its original sources using the file's
// source map (v3): every mapping segment owns the generated characters up to the next segment.
// Used by sdk-size to say what the bundle is made of.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { repoRoot } from './machine.mjs';

const B64 = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));

/** Decodes one segment's base64 VLQ fields. */
function decodeVlq(segment) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64.get(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/**
 * Bytes (UTF-16 code units, equal to bytes for ASCII minified output) of `codeFile` per source of
 * `mapFile`; unmapped characters (banner, wrappers) are counted under '(unmapped)'.
 */
export function bytesPerSource(codeFile, mapFile) {
  const code = readFileSync(codeFile, 'utf8');
  const map = JSON.parse(readFileSync(mapFile, 'utf8'));
  const lines = code.split('\n');
  // Sources as repository-relative paths.
  const base = resolve(dirname(mapFile), map.sourceRoot ?? '');
  const sources = map.sources.map((s) => relative(repoRoot, resolve(base, s)));
  const totals = new Map();
  const add = (k, n) => totals.set(k, (totals.get(k) ?? 0) + n);
  let source = 0;
  const mappingLines = map.mappings.split(';');
  for (let l = 0; l < lines.length; l++) {
    const len = lines[l].length + (l < lines.length - 1 ? 1 : 0);
    const segs = (mappingLines[l] ?? '').split(',').filter(Boolean);
    let col = 0;
    let prevCol = 0;
    let prevSource = null;
    for (const seg of segs) {
      const f = decodeVlq(seg);
      col += f[0];
      add(prevSource === null ? '(unmapped)' : sources[prevSource], col - prevCol);
      if (f.length >= 4) {
        source += f[1];
        prevSource = source;
      } else {
        prevSource = null;
      }
      prevCol = col;
    }
    add(prevSource === null ? '(unmapped)' : sources[prevSource], len - prevCol);
  }
  return totals;
}

/**
 * Groups repository-relative source paths: a dependency by its folder
 * (node_modules/zod/v4/locales → "zod/v4/locales"), workspace sources by package and top
 * folder ("parley-sdk src/api", "@parley/protocol").
 */
export function groupOf(source) {
  const nm = /node_modules\/(.+)\/[^/]+$/.exec(source);
  if (nm) return nm[1];
  const ws = /^packages\/([^/]+)\/src\/(?:([^/]+)\/)?/.exec(source);
  if (ws) return ws[1] === 'sdk' ? `parley-sdk src/${ws[2] ?? '*.ts'}` : `@parley/${ws[1]}`;
  return source;
}

const decoded = new Map();

/** Mappings of a source map as per-line arrays of [genCol, sourcePath, line, col] (0-based). */
function decodeMap(mapFile) {
  if (decoded.has(mapFile)) return decoded.get(mapFile);
  let result = null;
  try {
    const map = JSON.parse(readFileSync(mapFile, 'utf8'));
    const base = resolve(dirname(mapFile), map.sourceRoot ?? '');
    const sources = map.sources.map((src) => relative(repoRoot, resolve(base, src)));
    let source = 0;
    let line = 0;
    let col = 0;
    result = map.mappings.split(';').map((segs) => {
      let genCol = 0;
      const out = [];
      for (const seg of segs.split(',')) {
        if (!seg) continue;
        const f = decodeVlq(seg);
        genCol += f[0];
        if (f.length >= 4) {
          source += f[1];
          line += f[2];
          col += f[3];
          out.push([genCol, sources[source], line, col]);
        }
      }
      return out;
    });
  } catch {
    result = null;
  }
  decoded.set(mapFile, result);
  return result;
}

/**
 * Original `path:line` (1-based line) of a 0-based position in a generated file that has a
 * `<file>.map` next to it; null when there is no map or no mapping.
 */
export function originalLocation(file, line, column) {
  const mapFile = `${file}.map`;
  if (!existsSync(mapFile)) return null;
  const lines = decodeMap(mapFile);
  const segs = lines?.[line];
  if (!segs?.length) return null;
  let best = segs[0];
  for (const seg of segs) {
    if (seg[0] > column) break;
    best = seg;
  }
  return `${best[1]}:${best[2] + 1}`;
}
