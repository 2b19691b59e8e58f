// `npm start`: install and build what is missing, then serve (PORT, HOST; see docs/operations.md).
// The server runs under a small supervisor that restarts it after a crash (see lib/supervise.mjs).
import { join } from 'node:path';
import { root, ensureDependencies, ensureBuild, ensureFfmpeg } from './lib/setup.mjs';
import { supervise } from './lib/supervise.mjs';

ensureDependencies();
ensureBuild();
ensureFfmpeg();

supervise(process.execPath, [join(root, 'packages/server/dist/main.js'), ...process.argv.slice(2)], { spawnOptions: { cwd: root } });
