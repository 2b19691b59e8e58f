// Shared by `npm start` and `npm test`: bring a fresh clone to a runnable state using only
// Node built-ins (nothing is installed yet when these run).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, accessSync, constants } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs a command in the repository root, inheriting stdio; exits the process on failure. */
export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (res.status !== 0) {
    console.error(`\n✖ ${cmd} ${args.join(' ')} failed (exit ${res.status ?? res.signal})`);
    process.exit(res.status ?? 1);
  }
  return res;
}

function newestMtime(path) {
  let newest = 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Installs npm dependencies when node_modules is missing or older than the lockfile. */
export function ensureDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
  if (!stale) return;
  console.log('• Installing npm dependencies…');
  run('npm', existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
}

const buildInputs = ['packages/protocol', 'packages/server', 'packages/sdk', 'apps/meet', 'package.json', 'tsconfig.base.json'];
const buildOutputs = [
  'packages/protocol/dist/index.js',
  'packages/server/dist/main.js',
  'packages/sdk/dist/parley.js',
  'packages/sdk/dist/parley.mjs',
  'apps/meet/dist/index.html',
];

/** Builds every package when an output is missing or a source is newer than the last build. */
export function ensureBuild({ force = false } = {}) {
  const stamp = join(root, '.build-stamp');
  const missing = buildOutputs.some((p) => !existsSync(join(root, p)));
  const stampTime = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const newest = Math.max(...buildInputs.map((p) => newestMtime(join(root, p))));
  if (!force && !missing && newest <= stampTime) return;
  console.log('• Building…');
  run('npm', ['run', 'build']);
  writeFileSync(stamp, new Date().toISOString() + '\n');
}

function onPath(bin) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return true;
    } catch {
      /* keep looking */
    }
  }
  return false;
}

/** Like onPath, plus the sbin folders a non-root PATH often lacks (ip, tc, nft live there). */
function onSystemPath(bin) {
  return onPath(bin) || ['/usr/sbin', '/sbin', '/usr/bin'].some((dir) => existsSync(join(dir, bin)));
}

/**
 * Makes sure the system programs the tests drive are installed: Debian's Chromium (the browser
 * end-to-end suite), ffmpeg (recording, fake camera files), coturn and openssl, iproute2 and
 * nftables (TURN and emulated-network tests). Installs them through apt when
 * running as root on Debian; otherwise explains what to install.
 */
export function ensureSystemPackages() {
  const wanted = [
    { bin: 'chromium', pkg: 'chromium', present: existsSync('/usr/bin/chromium') },
    { bin: 'ffmpeg', pkg: 'ffmpeg', present: onPath('ffmpeg') },
    // TURN tests run Debian's coturn; the network-emulation harness (tests/harness/netns) drives
    // ip (network namespaces, veth), tc (rate limits) and nft (loss, UDP blocking).
    { bin: 'turnserver', pkg: 'coturn', present: onSystemPath('turnserver') },
    // …with a throwaway certificate for TURN over TLS, made by the openssl command.
    { bin: 'openssl', pkg: 'openssl', present: onSystemPath('openssl') },
    { bin: 'ip', pkg: 'iproute2', present: onSystemPath('ip') },
    { bin: 'tc', pkg: 'iproute2', present: onSystemPath('tc') },
    { bin: 'nft', pkg: 'nftables', present: onSystemPath('nft') },
    // Cluster tests (several nodes sharing state through Redis) start their own redis-server.
    { bin: 'redis-server', pkg: 'redis-server', present: onSystemPath('redis-server') },
  ];
  const missing = wanted.filter((w) => !w.present);
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/etc/debian_version') && onPath('apt-get')) {
    console.log(`• Installing ${pkgs.join(', ')} with apt-get…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-q'], { env });
    run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { env });
    return;
  }
  console.error(
    `✖ Missing system packages: ${pkgs.join(', ')}.\n` +
      `  Install them (Debian/Ubuntu: sudo apt-get install ${pkgs.join(' ')}) and run the command again.\n` +
      `  The browser tests need Debian's Chromium at /usr/bin/chromium.`,
  );
  process.exit(1);
}

/**
 * `npm start`: recording needs ffmpeg. Installed with apt-get when missing and running as root on
 * Debian; otherwise the server starts anyway, says in its log that recording is off, and
 * `startRecording()` is refused with that reason.
 */
export function ensureFfmpeg() {
  if (onPath('ffmpeg') && onPath('ffprobe')) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/etc/debian_version') && onPath('apt-get')) {
    console.log('• Installing ffmpeg with apt-get (composite recording)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    const install =
      update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'ffmpeg'], { stdio: 'inherit', env }) : update;
    if (install.status === 0) return;
  }
  console.warn('! ffmpeg is not installed: recording is off (Debian/Ubuntu: sudo apt-get install ffmpeg).');
}
