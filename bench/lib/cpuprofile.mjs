// Summarises V8 .cpuprofile files (node --cpu-prof): hottest functions by self time with
// file:line, inclusive time, and self time per package. Also a CLI:
//   node bench/lib/cpuprofile.mjs FILE.cpuprofile [FILE…]
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relative } from 'node:path';
import { repoRoot } from './machine.mjs';
import { originalLocation } from './sourcemap.mjs';

const META = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** file:line of a call frame, plus the TypeScript source line when the file has a source map. */
function location(cf) {
  const url = cf.url || '';
  if (!url) return '(native)';
  if (!url.startsWith('file://')) return `${url}:${cf.lineNumber + 1}`;
  const path = fileURLToPath(url);
  const here = `${relative(repoRoot, path)}:${cf.lineNumber + 1}`;
  const original = path.includes('/node_modules/') ? null : originalLocation(path, cf.lineNumber, cf.columnNumber);
  return original ? `${original} (${here})` : here;
}

function packageOf(cf) {
  const url = cf.url || '';
  if (META.has(cf.functionName)) return cf.functionName;
  if (!url) return '(native / V8 builtins)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node core';
  const rel = url.startsWith('file://') ? relative(repoRoot, fileURLToPath(url)) : url;
  const p = /^packages\/([^/]+)/.exec(rel);
  return p ? `@parley/${p[1]}` : rel;
}

/** {totalMs, meta: {(idle)…}, functions: [{name, location, selfMs, totalMs}], packages: [{name, selfMs}]} */
export function summarizeProfiles(files) {
  const fn = new Map();
  const pkg = new Map();
  const meta = {};
  let totalMs = 0;
  for (const file of files) {
    const prof = JSON.parse(readFileSync(file, 'utf8'));
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const keyOf = new Map();
    for (const n of prof.nodes) {
      const cf = n.callFrame;
      const key = `${cf.functionName || '(anonymous)'} ${location(cf)}`;
      keyOf.set(n.id, key);
      if (!fn.has(key))
        fn.set(key, {
          name: cf.functionName || '(anonymous)',
          location: location(cf),
          selfMs: 0,
          totalMs: 0,
          meta: META.has(cf.functionName),
          pkg: packageOf(cf),
        });
    }
    for (let i = 0; i < prof.samples.length; i++) {
      const ms = (prof.timeDeltas[i] ?? 0) / 1000;
      const id = prof.samples[i];
      const node = byId.get(id);
      totalMs += ms;
      const self = fn.get(keyOf.get(id));
      self.selfMs += ms;
      if (self.meta) meta[self.name] = (meta[self.name] ?? 0) + ms;
      pkg.set(self.pkg, (pkg.get(self.pkg) ?? 0) + ms);
      const seen = new Set();
      for (let cur = node?.id; cur !== undefined; cur = parent.get(cur)) {
        const k = keyOf.get(cur);
        if (seen.has(k)) continue;
        seen.add(k);
        fn.get(k).totalMs += ms;
      }
    }
  }
  const functions = [...fn.values()].filter((f) => !f.meta).sort((a, b) => b.selfMs - a.selfMs);
  const packages = [...pkg.entries()].map(([name, selfMs]) => ({ name, selfMs })).sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs, meta, functions, packages };
}

/** Printable report of the hottest `top` functions. */
export function formatProfile(summary, top = 20) {
  const busy = summary.totalMs - (summary.meta['(idle)'] ?? 0);
  const pct = (ms) => `${((100 * ms) / Math.max(busy, 1e-9)).toFixed(1)}%`.padStart(6);
  const lines = [
    `profiled ${(summary.totalMs / 1000).toFixed(1)} s, busy (not idle) ${(busy / 1000).toFixed(1)} s, server start-up included; percentages are of busy time`,
    `  GC ${pct(summary.meta['(garbage collector)'] ?? 0)}   (program) ${pct(summary.meta['(program)'] ?? 0)}`,
    'self time by package:',
    ...summary.packages
      .filter((p) => p.name !== '(idle)')
      .slice(0, 12)
      .map((p) => `  ${pct(p.selfMs)}  ${p.name}`),
    `hottest functions (self, inclusive, function, file:line):`,
    ...summary.functions.slice(0, top).map((f) => `  ${pct(f.selfMs)} ${pct(f.totalMs)}  ${f.name}  ${f.location}`),
    `Parley functions by inclusive time (self, inclusive, function, file:line):`,
    ...summary.functions
      .filter((f) => f.pkg.startsWith('@parley/'))
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, Math.ceil(top / 2))
      .map((f) => `  ${pct(f.selfMs)} ${pct(f.totalMs)}  ${f.name}  ${f.location}`),
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const files = process.argv.slice(2);
  if (!files.length) {
    console.error('usage: node bench/lib/cpuprofile.mjs FILE.cpuprofile [FILE…]');
    process.exit(2);
  }
  console.log(formatProfile(summarizeProfiles(files), Number(process.env.TOP ?? 30)));
}
