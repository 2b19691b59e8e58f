// Writes THIRD_PARTY_NOTICES.md: every package the server and the SDK need at run time (their
// `dependencies` and installed `optionalDependencies`, transitively), with version and licence,
// read from the installed node_modules/*/package.json. Workspace packages (@parley/*) are walked
// through, not listed. Run after `npm ci`: `node scripts/third-party-notices.mjs`
// (`--check` exits 1 when the committed file differs, without writing).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { root } from './lib/setup.mjs';

const output = join(root, 'THIRD_PARTY_NOTICES.md');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

/** Code compiled into native binaries, which no package.json lists. Checked by hand for the version given. */
const embedded = {
  'better-sqlite3': {
    checkedVersion: '12.11.1',
    parts: [['SQLite 3.53.2 (amalgamation in deps/sqlite3, compiled into better_sqlite3.node)', 'public domain', 'https://sqlite.org/copyright.html']],
  },
  'node-datachannel': {
    checkedVersion: '0.33.4',
    parts: [
      ['libdatachannel 0.24.5', 'MPL-2.0', 'https://github.com/paullouisageneau/libdatachannel'],
      ['libjuice (ICE, part of libdatachannel)', 'MPL-2.0', 'https://github.com/paullouisageneau/libjuice'],
      ['usrsctp (SCTP for data channels)', 'BSD-3-Clause', 'https://github.com/sctplab/usrsctp'],
      ['libsrtp (SRTP)', 'BSD-3-Clause', 'https://github.com/cisco/libsrtp'],
      ['plog (logging)', 'MIT', 'https://github.com/SergiusTheBest/plog'],
      ['OpenSSL 1.1.1w (statically linked into the binary)', 'OpenSSL and SSLeay licences', 'https://www.openssl.org/source/license-openssl-ssleay.txt'],
    ],
  },
};

/** Reads a package.json, or undefined when the file is absent. */
function readPackage(dir) {
  const file = join(dir, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** Node's lookup: `name` from `fromDir`, climbing node_modules folders up to the repository root. */
function resolvePackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === dirname(dir)) return undefined;
  }
}

/** SPDX-ish licence of a package.json (`license`, or the old `licenses` array). */
function licenceOf(pkg) {
  if (typeof pkg.license === 'string') return pkg.license.replace(/^MPL 2\.0$/, 'MPL-2.0');
  if (pkg.license?.type) return pkg.license.type;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => l.type ?? l).join(' OR ');
  return 'UNKNOWN';
}

function homepageOf(pkg) {
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const url = repo ?? pkg.homepage ?? '';
  return url
    .replace(/^git\+/, '')
    .replace(/^git:\/\//, 'https://')
    .replace(/^ssh:\/\/git@/, 'https://')
    .replace(/^github:/, 'https://github.com/')
    .replace(/\.git$/, '')
    .replace(/^([\w-]+\/[\w.-]+)$/, 'https://github.com/$1');
}

/** key `name@version` → { name, version, licence, url, usedBy: Set, platform } */
const found = new Map();

function walk(dir, pkg, usedBy) {
  const deps = { ...pkg.dependencies, ...pkg.optionalDependencies };
  for (const name of Object.keys(deps).sort()) {
    const depDir = resolvePackageDir(name, dir);
    const optional = pkg.optionalDependencies?.[name] !== undefined;
    if (depDir === undefined) {
      if (optional) notInstalled(name, usedBy);
      else throw new Error(`${name} (needed by ${pkg.name}) is not installed: run npm ci first`);
      continue;
    }
    const dep = readPackage(depDir);
    if (name.startsWith('@parley/')) {
      walk(depDir, dep, usedBy);
      continue;
    }
    const key = `${dep.name}@${dep.version}`;
    const seen = found.get(key);
    if (seen) {
      if (seen.usedBy.has(usedBy)) continue;
      seen.usedBy.add(usedBy);
    } else {
      found.set(key, {
        name: dep.name,
        version: dep.version,
        licence: licenceOf(dep),
        url: homepageOf(dep),
        usedBy: new Set([usedBy]),
        platform: optional && Array.isArray(dep.os),
      });
    }
    walk(depDir, dep, usedBy);
  }
}

/** An optional platform package of another OS: listed from the lockfile so the file does not depend on the machine. */
function notInstalled(name, usedBy) {
  const entry = Object.entries(lock.packages).find(([path]) => path.endsWith(`node_modules/${name}`))?.[1];
  if (!entry) return;
  const key = `${name}@${entry.version}`;
  const seen = found.get(key);
  if (seen) seen.usedBy.add(usedBy);
  else found.set(key, { name, version: entry.version, licence: licenceOf(entry), url: '', usedBy: new Set([usedBy]), platform: true });
}

const workspaces = [
  ['server', join(root, 'packages/server')],
  ['SDK', join(root, 'packages/sdk')],
];
// The SDK package bundles what it uses and so declares it under devDependencies (the published
// package depends on nothing): count those, minus the build tools.
const SDK_BUILD_TOOLS = new Set(['esbuild', 'dts-bundle-generator']);
for (const [label, dir] of workspaces) {
  const pkg = readPackage(dir);
  if (label !== 'SDK') walk(dir, pkg, label);
  else {
    const bundled = Object.fromEntries(Object.entries(pkg.devDependencies ?? {}).filter(([name]) => !SDK_BUILD_TOOLS.has(name)));
    walk(dir, { ...pkg, dependencies: { ...pkg.dependencies, ...bundled } }, label);
  }
}

// Platform packages share their parent's repository; fill it in when the lockfile gave none.
for (const entry of found.values()) {
  if (entry.url) continue;
  const parent = [...found.values()].find((p) => entry.name.startsWith(`@${p.name}/`));
  if (parent) entry.url = parent.url;
}

const rows = [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
const byLicence = new Map();
for (const r of rows) byLicence.set(r.licence, (byLicence.get(r.licence) ?? 0) + 1);

const lines = [
  '# Third-party notices',
  '',
  'Parley is MIT-licensed (see `LICENSE`). It depends at run time on the packages below, each',
  'under its own licence; their full texts ship inside each package (its `LICENSE` file in',
  '`node_modules/<name>` after `npm ci`). Development tools (TypeScript, vitest, esbuild,',
  'playwright-core, dependency-cruiser…) are not part of what Parley runs or ships and are not',
  'listed.',
  '',
  '**Generated** by `node scripts/third-party-notices.mjs` from the installed',
  '`node_modules/*/package.json`: regenerate it after changing dependencies.',
  '',
  '- *server*: needed by `@parley/server` (`npm start`).',
  '- *SDK*: bundled into `/sdk/parley.js` and `/sdk/parley.mjs` by `parley-sdk` (through',
  "  `@parley/protocol`); these files carry the package's code, so its licence applies to them.",
  '  The processors packages (noise reduction, background segmentation) are bundled into, or copied',
  '  beside, `/sdk/processors/` instead, loaded only when an app applies a processor. The RNNoise',
  "  model and code inside `@sapphi-red/web-noise-suppressor`'s wasm are under BSD-3-Clause.",
  '- Platform packages (marked †) hold prebuilt native binaries; npm installs only the one that',
  '  matches the machine.',
  '',
  '## MPL-2.0',
  '',
  'node-datachannel and its prebuilt binaries are under the Mozilla Public License 2.0, a',
  'file-level copyleft: Parley uses them unmodified, and their source is available from the',
  'repository listed below. Anyone who distributes modified versions of those files must publish',
  "the modified files under MPL-2.0; Parley's own code is not affected.",
  '',
  '## Packages',
  '',
  `${rows.length} packages: ${[...byLicence]
    .sort((a, b) => b[1] - a[1])
    .map(([l, n]) => `${n} ${l}`)
    .join(', ')}.`,
  '',
  '| package | version | licence | used by | source |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.name}${r.platform ? ' †' : ''} | ${r.version} | ${r.licence} | ${[...r.usedBy].sort().reverse().join(', ')} | ${r.url} |`),
  '',
  '## Code compiled into native binaries',
  '',
  'Listed by hand in the script (no package.json names them); checked for the version shown.',
  '',
  '| inside | component | licence | source |',
  '|---|---|---|---|',
];
for (const [pkgName, { checkedVersion, parts }] of Object.entries(embedded)) {
  const installed = rows.find((r) => r.name === pkgName);
  if (!installed) continue;
  if (installed.version !== checkedVersion) {
    console.warn(
      `! ${pkgName} is ${installed.version}, its embedded components were checked for ${checkedVersion}: check them again and update scripts/${relative(join(root, 'scripts'), new URL(import.meta.url).pathname)}`,
    );
  }
  for (const [component, licence, url] of parts) lines.push(`| ${pkgName} ${checkedVersion} | ${component} | ${licence} | ${url} |`);
}
lines.push('');

const text = lines.join('\n');
if (process.argv.includes('--check')) {
  const current = existsSync(output) ? readFileSync(output, 'utf8') : '';
  if (current !== text) {
    console.error('THIRD_PARTY_NOTICES.md is out of date: run node scripts/third-party-notices.mjs');
    process.exit(1);
  }
  console.log('THIRD_PARTY_NOTICES.md is up to date');
} else {
  writeFileSync(output, text);
  console.log(`THIRD_PARTY_NOTICES.md: ${rows.length} packages`);
}
