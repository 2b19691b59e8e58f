// `npm run lint:deps`: checks the import boundaries of .dependency-cruiser.cjs over packages/ and
// apps/, and that every rule still names folders that exist. A rule whose paths match no module
// (a folder renamed, a typo) would pass for ever without checking anything, so that fails too.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root } from './lib/setup.mjs';

const require = createRequire(import.meta.url);
const configFile = join(root, '.dependency-cruiser.cjs');
const { forbidden } = require(configFile);
const targets = ['packages', 'apps'];

const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const res = spawnSync(process.execPath, [cli, '--config', configFile, '--output-type', 'json', ...targets], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
});
if (res.status === null || !res.stdout) {
  console.error(res.stderr || `dependency-cruiser did not run (${res.signal ?? res.error})`);
  process.exit(1);
}
const result = JSON.parse(res.stdout);
const sources = result.modules.map((m) => m.source);

const problems = [];
for (const v of result.summary.violations) {
  const via = v.cycle ? [v.from, ...v.cycle.map((c) => c.name)].join(' → ') : `${v.from} → ${v.to}`;
  const rule = forbidden.find((r) => r.name === v.rule.name);
  problems.push(`${v.rule.name}: ${via}${rule?.comment ? `\n    (${rule.comment})` : ''}`);
}
for (const rule of forbidden) {
  for (const side of ['from', 'to']) {
    const path = rule[side]?.path;
    if (path === undefined) continue;
    const re = new RegExp(path);
    if (!sources.some((s) => re.test(s))) problems.push(`${rule.name}: its '${side}' path ${path} matches no module; update .dependency-cruiser.cjs`);
  }
}

if (problems.length > 0) {
  console.error(`✖ import boundaries (docs/architecture.md, "Enforced boundaries"):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`✔ import boundaries: ${forbidden.length} rules, ${sources.length} modules, no violation`);
