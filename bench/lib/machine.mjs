// Describes the machine and the software a benchmark ran with, for bench/RESULTS.md.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

export const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = join(benchDir, '..');

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** "model name" of the first CPU in /proc/cpuinfo (falls back to os.cpus()). */
export function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    /* not Linux */
  }
  return os.cpus()[0]?.model ?? 'unknown CPU';
}

/** 1, 5 and 15 minute load averages as a string ("0.52 0.40 0.31"). */
export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  }
}

/** Current commit (short) and whether the work tree has changes; read-only git calls. */
export function gitState() {
  const git = (args) => execFileSync('git', ['--no-optional-locks', ...args], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git(['rev-parse', '--short=12', 'HEAD']);
    // RESULTS.md is what the benchmarks of this very run append to: it does not make the code dirty.
    const dirty = git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/RESULTS.md']) !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

/** Version of an installed package as seen from the repository root, or null. */
export function packageVersion(name) {
  return readJson(join(repoRoot, 'node_modules', name, 'package.json'))?.version ?? null;
}

export function machineInfo() {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const git = gitState();
  return {
    cores,
    cpuModel: cpuModel(),
    memGiB: os.totalmem() / 2 ** 30,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    parley: readJson(join(repoRoot, 'package.json'))?.version ?? 'unknown',
    commit: git.commit,
    dirty: git.dirty,
    ws: packageVersion('ws'),
    loadAverage: loadAverage(),
  };
}
