#!/usr/bin/env node
// Benchmark runner.
//
//   npm run bench                     every available benchmark, in order
//   npm run bench -- NAME [NAME…]     only those
//   npm run bench -- --list           what exists and what is not available yet
//
// Options: --no-record (do not append to bench/RESULTS.md), --no-build (skip the dependency and
// build check), --note TEXT (added to the RESULTS.md section), --profile (signalling: CPU-profile
// the server; implies --no-record). Each benchmark is bench/benchmarks/NAME.mjs exporting
// `meta` and `run(ctx)`; its last output line is `NAME: headline`.
import { machineInfo, loadAverage, repoRoot } from './lib/machine.mjs';
import { appendResults, commandLine, textTable, resultsFile } from './lib/results.mjs';

/** Every benchmark of the benchmark issue, in its order. */
const registry = ['sfu-fanout', 'ttff', 'signalling', 'sdk-size', 'processors', 'attack', 'recording', 'scale', 'cluster', 'network', 'ice-repair'];

const argv = process.argv.slice(2);
const flags = new Set(argv.filter((a) => a.startsWith('--')));
const noteIndex = argv.indexOf('--note');
const note = noteIndex >= 0 ? argv[noteIndex + 1] : undefined;
// Options taking a value: --note TEXT, --baseline FILE (sdk-size: a previous parley.js to compare).
const valueAt = new Set(
  ['--note', '--baseline']
    .map((o) => argv.indexOf(o))
    .filter((i) => i >= 0)
    .map((i) => i + 1),
);
const names = argv.filter((a, i) => !a.startsWith('--') && !valueAt.has(i));

const modules = new Map();
for (const name of registry) modules.set(name, await import(`./benchmarks/${name}.mjs`));

if (flags.has('--list') || flags.has('--help')) {
  for (const [name, mod] of modules) {
    console.log(`${name.padEnd(12)} ${mod.meta.title}${mod.meta.unavailable ? `  [not available: ${mod.meta.unavailable}]` : ''}`);
  }
  process.exit(0);
}

const unknown = names.filter((n) => !modules.has(n));
if (unknown.length) {
  console.error(`✖ Unknown benchmark ${unknown.join(', ')}. Available: ${registry.join(', ')}`);
  process.exit(2);
}
const selected = names.length ? names : registry;
const runnable = selected.filter((n) => !modules.get(n).meta.unavailable);

if (runnable.length && !flags.has('--no-build')) {
  const { ensureDependencies, ensureBuild, ensureSystemPackages } = await import(new URL('../scripts/lib/setup.mjs', import.meta.url));
  ensureDependencies();
  ensureBuild();
  // The media benchmarks drive Debian's Chromium and make their camera file with ffmpeg.
  if (runnable.some((n) => modules.get(n).meta.needsBrowser)) ensureSystemPackages();
}

const record = !flags.has('--no-record') && !flags.has('--profile');
let exitCode = 0;

for (const name of selected) {
  const mod = modules.get(name);
  if (mod.meta.unavailable) {
    console.log(`${name}: skipped — ${mod.meta.unavailable}`);
    if (names.length) exitCode = Math.max(exitCode, 2);
    continue;
  }
  console.log(`\n== ${name}: ${mod.meta.title} ==`);
  const machine = machineInfo();
  console.log(`${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverage}`);
  const startedAt = new Date();
  const timeoutMs = mod.meta.timeoutMs ?? 10 * 60_000;
  const watchdog = setTimeout(() => {
    console.error(`✖ ${name} did not finish within ${timeoutMs / 1000} s; stopping.`);
    process.exit(1); // lib/children.mjs kills every child on exit
  }, timeoutMs);
  let result;
  try {
    result = await mod.run({ root: repoRoot, args: argv, flags, log: (...a) => console.log(...a) });
  } catch (err) {
    clearTimeout(watchdog);
    console.error(`✖ ${name} failed: ${err.stack ?? err}`);
    exitCode = 1;
    continue;
  }
  clearTimeout(watchdog);
  console.log('');
  for (const table of result.tables ?? []) console.log(textTable(table) + '\n');
  for (const n of result.notes ?? []) console.log(`note: ${n}`);
  if (record && result.record !== false) {
    appendResults({
      name,
      command: commandLine(argv),
      machine,
      loadAtEnd: loadAverage(),
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      result,
      notes: note ? [note] : [],
    });
    console.log(`(appended to ${resultsFile})`);
  }
  for (const line of result.extraLines ?? []) console.log(line);
  console.log(`${result.headlineName ?? name}: ${result.headline}`);
}
process.exit(exitCode);
