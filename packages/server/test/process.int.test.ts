import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transpileServer } from './helpers/transpileServer.js';

/*
 * Issue 9, finding 3: what the process does with failures nobody caught, and how `npm start`
 * supervises it. The server runs as a child process (transpiled from the sources, see
 * transpileServer), faults are injected through its stdin.
 */
const serverRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const buildDir = join(serverRoot, '.test-build-process');
const supervisor = pathToFileURL(resolve(serverRoot, '../../scripts/lib/supervise.mjs')).href;
let work: string;

beforeAll(async () => {
  await transpileServer(serverRoot, buildDir);
  work = await mkdtemp(join(tmpdir(), 'parley-process-'));
  await writeFile(
    join(buildDir, 'faulty.js'),
    `import { resolveConfig } from './config/Config.js';
import { serve } from './serve.js';
await serve(resolveConfig({ port: 0, host: '127.0.0.1', dataDir: process.env.DATA_DIR, logLevel: 'info' }));
process.stdin.on('data', (data) => {
  const command = data.toString().trim();
  if (command === 'reject') void Promise.reject(new Error('a promise nobody awaited'));
  if (command === 'throw') setTimeout(() => { throw new Error('boom in a timer'); });
});
`,
  );
});
afterAll(async () => {
  await rm(buildDir, { recursive: true, force: true });
  if (work) await rm(work, { recursive: true, force: true });
});

/** Collects a child's output and lets a test wait for a line. */
class Output {
  text = '';
  readonly #waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  constructor(child: ChildProcessWithoutNullStreams) {
    const take = (chunk: Buffer): void => {
      this.text += chunk.toString();
      for (const line of this.text.split('\n')) {
        for (const waiter of [...this.#waiters]) {
          if (waiter.test(line)) {
            this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
  }

  line(test: (line: string) => boolean): Promise<string> {
    const found = this.text.split('\n').find(test);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }
}

function exited(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('process-level failures', () => {
  it('an unhandled rejection is logged and the server goes on; an uncaught exception logs fatal, shuts down and exits 70', async () => {
    const dataDir = await mkdtemp(join(work, 'data-'));
    const child = spawn(process.execPath, [join(buildDir, 'faulty.js')], { env: { ...process.env, DATA_DIR: dataDir } });
    const out = new Output(child);
    const done = exited(child);
    const listening = JSON.parse(await out.line((l) => l.includes('listening on'))) as { url: string };

    child.stdin.write('reject\n');
    const rejection = JSON.parse(await out.line((l) => l.includes('unhandled promise rejection'))) as { level: number; msg: string };
    expect(rejection.level).toBe(50);
    expect(rejection.msg).toContain('a promise nobody awaited');
    expect((await fetch(`${listening.url}/healthz`)).status).toBe(200);

    child.stdin.write('throw\n');
    const fatal = JSON.parse(await out.line((l) => l.includes('uncaught exception'))) as { level: number; msg: string };
    expect(fatal.level).toBe(60);
    expect(fatal.msg).toBe('uncaught exception, exiting: Error: boom in a timer');
    expect(await done).toEqual({ code: 70, signal: null });
    expect(out.text).toContain('stopped after the fatal error');
  });

  it('main.js exits 78 when the server cannot start (bad configuration)', async () => {
    const run = await new Promise<{ code: number; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [join(buildDir, 'main.js')],
        { env: { ...process.env, PORT: 'not-a-port', PARLEY_CONFIG: '' }, cwd: work, timeout: 15_000 },
        (error, _stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }),
      );
    });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('Parley failed to start');
  });
});

describe('demo key warning', () => {
  /** This machine's first non-internal IPv4 address (the server must listen beyond loopback). */
  const ownAddress = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;

  it('main.js warns loudly on stderr when the demo key is on and HOST is not loopback, and not otherwise', async () => {
    // HOST=localhost is loopback: no banner. A non-loopback HOST (this machine's own address, or
    // the wildcard when it has none, which also is not loopback) gets it.
    const runs: Array<[host: string, demoKey: string, warned: boolean]> = [
      ['127.0.0.1', 'on', false],
      [ownAddress ?? '0.0.0.0', 'off', false],
      [ownAddress ?? '0.0.0.0', 'on', true],
    ];
    for (const [host, demoKey, warned] of runs) {
      const dataDir = await mkdtemp(join(work, 'demo-'));
      const child = spawn(process.execPath, [join(buildDir, 'main.js')], {
        env: { ...process.env, HOST: host, PORT: '0', PARLEY_DEMO_KEY: demoKey, PARLEY_DATA_DIR: dataDir, PARLEY_CONFIG: '', PARLEY_RECORDING: 'off' },
        cwd: work,
      });
      const out = new Output(child);
      const done = exited(child);
      await out.line((l) => l.includes('listening on'));
      child.kill('SIGTERM');
      await done;
      expect(out.text.includes("The demo API key 'myDemoApiKey' is ON"), `${host} demo ${demoKey}`).toBe(warned);
    }
  });
});

describe('npm start supervisor (scripts/lib/supervise.mjs)', () => {
  /** A child that exits with `statuses[n]` on its n-th start, then runs until SIGTERM. */
  async function supervised(name: string, statuses: number[], options: Record<string, number>) {
    const runs = join(work, `${name}.runs`);
    const script = join(work, `${name}.mjs`);
    await writeFile(runs, '');
    await writeFile(
      script,
      `import { appendFileSync, readFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(runs)}, 'x');
const n = readFileSync(${JSON.stringify(runs)}, 'utf8').length;
const statuses = ${JSON.stringify(statuses)};
if (n <= statuses.length) process.exit(statuses[n - 1]);
process.on('SIGTERM', () => { console.log('child stopping'); process.exit(0); });
console.log('child ready');
setInterval(() => {}, 1000);
`,
    );
    const child = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `import { supervise } from ${JSON.stringify(supervisor)}; supervise(process.execPath, [${JSON.stringify(script)}], ${JSON.stringify(options)});`,
    ]);
    return { child, out: new Output(child), done: exited(child), runs: async () => (await readFile(runs, 'utf8')).length };
  }

  it('restarts the server after crashes, with backoff, and stops it on SIGTERM', async () => {
    const { child, out, done, runs } = await supervised('crashy', [1, 70], { initialDelayMs: 20, quickMs: 60_000, maxQuickCrashes: 5 });
    await out.line((l) => l.includes('child ready'));
    expect(await runs()).toBe(3);
    expect(out.text).toMatch(/exited \(status 1\) after \d+ ms; restarting in 20 ms/);
    expect(out.text).toMatch(/exited \(status 70\) after \d+ ms; restarting in 40 ms/);
    child.kill('SIGTERM');
    expect(await done).toEqual({ code: 0, signal: null });
    expect(out.text).toContain('child stopping');
  });

  it('does not restart a server that cannot start (exit 78)', async () => {
    const { out, done, runs } = await supervised('misconfigured', [78], { initialDelayMs: 20 });
    expect((await done).code).toBe(78);
    expect(await runs()).toBe(1);
    expect(out.text).toContain('the server cannot start (status 78); not restarting');
  });

  it('gives up on a crash loop', async () => {
    const { out, done, runs } = await supervised('looping', [1, 1, 1, 1], { initialDelayMs: 10, quickMs: 60_000, maxQuickCrashes: 3 });
    expect((await done).code).toBe(1);
    expect(await runs()).toBe(3);
    expect(out.text).toContain('3 times in a row');
  });
});
