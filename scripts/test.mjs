// `npm test`: install what is missing (npm dependencies; Chromium, ffmpeg, coturn, redis-server, nftables, iproute2), build, type-check,
// check the import boundaries (npm run lint:deps), lint (npm run lint) and check the formatting
// (npm run format:check), then run the unit, integration and browser
// end-to-end suites one after the other (the browser suite needs both cores to itself). Extra
// arguments select suites: `npm test -- unit e2e`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { root, run, ensureDependencies, ensureBuild, ensureSystemPackages } from './lib/setup.mjs';

const all = ['unit', 'integration', 'e2e'];
const wanted = process.argv.slice(2).filter((a) => all.includes(a));
const suites = wanted.length > 0 ? wanted : all;

ensureDependencies();
if (suites.includes('e2e')) ensureSystemPackages();
ensureBuild();
console.log('• Type-checking…');
run('npm', ['run', 'typecheck', '--silent']);
console.log('• Checking import boundaries…');
run(process.execPath, [join(root, 'scripts', 'lint-deps.mjs')]);
console.log('• Linting…');
run('npm', ['run', 'lint', '--silent']);
console.log('• Checking formatting…');
run('npm', ['run', 'format:check', '--silent']);

const reportDir = join(root, 'node_modules', '.cache', 'parley-test');
mkdirSync(reportDir, { recursive: true });
let passed = 0;
let failed = 0;
let exitCode = 0;
for (const suite of suites) {
  console.log(`\n• ${suite} tests`);
  const report = join(reportDir, `${suite}.json`);
  rmSync(report, { force: true });
  const res = spawnSync('npx', ['vitest', 'run', '--project', suite, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
    cwd: root,
    stdio: 'inherit',
  });
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed += json.numPassedTests ?? 0;
    failed += json.numFailedTests ?? 0;
  }
  if (res.status !== 0) {
    exitCode = res.status ?? 1;
    if (failed === 0) failed = 1; // a suite that crashed before reporting still fails the run
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(exitCode);
