// `npm start`: install and build what is missing, then serve (PORT, HOST; see docs/operations.md).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { root, ensureDependencies, ensureBuild } from './lib/setup.mjs';

ensureDependencies();
ensureBuild();

const server = spawn(process.execPath, [join(root, 'packages/server/dist/main.js'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
