// Smoke start of the built server (used by scripts/node-versions.mjs under another Node): starts
// packages/server/dist/main.js on a free loopback port with a temporary data directory, checks
// GET /healthz, registers a user over the WebSocket with the demo key, stops it with SIGTERM and
// expects exit 0. Exits 1 with the server's output on any failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { root } from './setup.mjs';

const require = createRequire(join(root, 'packages', 'server', 'package.json'));
const { WebSocket } = require('ws');

const dataDir = mkdtempSync(join(tmpdir(), 'parley-smoke-'));
const child = spawn(process.execPath, [join(root, 'packages', 'server', 'dist', 'main.js')], {
  env: { ...process.env, HOST: '127.0.0.1', PORT: '0', PARLEY_DATA_DIR: dataDir, PARLEY_DEMO_KEY: 'on', PARLEY_CONFIG: '' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
let stopping = false;
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

function fail(message) {
  console.error(`✖ smoke: ${message}\n--- server output ---\n${output}`);
  child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}

const timer = setTimeout(() => fail('timed out after 60 s'), 60_000);
const url = await new Promise((resolve) => {
  const take = (chunk) => {
    output += chunk.toString();
    const line = output.split('\n').find((l) => l.includes('listening on'));
    if (line) resolve(JSON.parse(line).url);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  void exited.then(({ code, signal }) => {
    if (!stopping) fail(`server exited early (code ${code}, signal ${signal})`);
  });
});

const health = await fetch(`${url}/healthz`);
const body = await health.json();
if (health.status !== 200 || body.status !== 'ok') fail(`/healthz answered ${health.status} ${JSON.stringify(body)}`);

const answer = await new Promise((resolve, reject) => {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
  ws.once('error', reject);
  ws.once('open', () => ws.send(JSON.stringify({ type: 'register', id: 1, apiKey: 'myDemoApiKey', groups: [], subscribeTo: [], userData: {} })));
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.re === 1) {
      ws.close();
      resolve(message);
    }
  });
}).catch((error) => fail(`WebSocket: ${error.message}`));
if (!answer.ok || typeof answer.data?.userId !== 'string') fail(`register answered ${JSON.stringify(answer)}`);

stopping = true;
child.kill('SIGTERM');
const { code } = await exited;
clearTimeout(timer);
rmSync(dataDir, { recursive: true, force: true });
if (code !== 0) fail(`exit status ${code} after SIGTERM`);
console.log(`✔ smoke: Node ${process.version}: /healthz ok, registered ${answer.data.userId}, stopped cleanly`);
