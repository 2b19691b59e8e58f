import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, paths } from './paths.js';
import { pollUntil } from './wait.js';

/** How a test file wants its server configured (maps to the server's environment variables). */
export interface ServerOptions {
  /** `PARLEY_DEMO_KEY`; the demo key `myDemoApiKey` exists unless this is `'off'`. Default `'on'`. */
  demoKey?: 'on' | 'off';
  /** `PARLEY_RESUME_WINDOW_MS`: how long a dropped session stays resumable. Server default when absent. */
  resumeWindowMs?: number;
  /** `LOG_LEVEL` (pino level). Default `'info'`; the log goes to `artifacts/<name>.server.log`. */
  logLevel?: string;
  /** Label for the log file name. */
  name?: string;
  /** More environment variables for the server (e.g. `PARLEY_CONFIG`, `PARLEY_RATE_LIMIT_BURST`). */
  env?: Record<string, string>;
}

/** A built Parley server running as a child process on a free port with its own data directory. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Temporary `PARLEY_DATA_DIR` (removed by `stop()`). */
  readonly dataDir: string;
  /** Where stdout/stderr of the server process are written. */
  readonly logFile: string;
  /** Stops the process group (SIGTERM, then SIGKILL after 5 s) and removes the data dir. Idempotent. */
  stop(): Promise<void>;
  /**
   * Kills the server process alone with SIGKILL (a crash): what it spawned is left to notice by
   * itself. Resolves once it exited. `stop()` still cleans up afterwards.
   */
  crash(): Promise<void>;
  /** `exit code … signal …` once the process exited (by itself or stopped), else undefined. */
  exitInfo(): string | undefined;
  /** The last lines the server printed (stdout and stderr). */
  logTail(): string[];
}

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 20_000;

/**
 * Process groups still alive. The servers run in their own process group (so a stop takes down
 * anything they spawned), which also means a Ctrl-C or a killed test worker does not reach them:
 * kill them synchronously when this process exits or is signalled, then let the signal proceed.
 */
const liveGroups = new Set<number>();
function killLiveGroups(): void {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  liveGroups.clear();
}
process.once('exit', killLiveGroups);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killLiveGroups();
    process.kill(process.pid, signal); // our listener is gone: default action (terminate)
  });
}

/** Asks the OS for a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * Spawns `node packages/server/dist/main.js` (the deployment shape) in its own process group,
 * waits for `GET /healthz` to answer 200 and returns a handle. Throws (after killing the process)
 * with the tail of the server log when it does not become ready.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  await assertBuilt();
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-e2e-'));
  mkdirSync(paths.artifacts, { recursive: true });
  const name = (options.name ?? 'server').replace(/[^\w.-]+/g, '_');
  const logFile = join(paths.artifacts, `${name}.server.log`);
  const log = createWriteStream(logFile, { flags: 'w' });

  let lastError: unknown;
  // A free port can be taken between probing and binding: retry a couple of times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST,
      PARLEY_DATA_DIR: dataDir,
      PARLEY_DEMO_KEY: options.demoKey ?? 'on',
      LOG_LEVEL: options.logLevel ?? 'info',
      // In-process SFU unless a test (or the caller's environment) asks for media workers:
      // the suite stays as fast as before; media-workers.e2e.test.ts covers the workers.
      PARLEY_MEDIA_WORKERS: process.env.PARLEY_MEDIA_WORKERS ?? '0',
    };
    if (options.resumeWindowMs !== undefined) env.PARLEY_RESUME_WINDOW_MS = String(options.resumeWindowMs);
    Object.assign(env, options.env);
    const child = spawn(process.execPath, [paths.serverMain], {
      cwd: paths.repoRoot,
      env,
      detached: true, // own process group, so stop() can take down anything it spawned
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const handle = new ServerProcess(child, log, port, dataDir, logFile);
    try {
      await handle.waitReady();
      return handle;
    } catch (error) {
      lastError = error;
      await handle.kill();
    }
  }
  log.end();
  await rm(dataDir, { recursive: true, force: true });
  throw lastError;
}

class ServerProcess implements RunningServer {
  readonly url: string;
  #exited = false;
  #exitInfo = '';
  #tail: string[] = [];
  #stopped: Promise<void> | undefined;
  readonly #exit: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    private readonly log: WriteStream,
    readonly port: number,
    readonly dataDir: string,
    readonly logFile: string,
  ) {
    this.url = `http://${HOST}:${port}`;
    if (child.pid !== undefined) liveGroups.add(child.pid);
    const keep = (chunk: Buffer): void => {
      log.write(chunk);
      this.#tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.#tail.length > 60) this.#tail.splice(0, this.#tail.length - 60);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.#exit = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.#exited = true;
        this.#exitInfo = `exit code ${code ?? '-'} signal ${signal ?? '-'}`;
        if (child.pid !== undefined) liveGroups.delete(child.pid);
        resolveExit();
      });
    });
  }

  exitInfo(): string | undefined {
    return this.#exited ? this.#exitInfo : undefined;
  }

  logTail(): string[] {
    return [...this.#tail];
  }

  async waitReady(): Promise<void> {
    await pollUntil(
      async () => {
        if (this.#exited) {
          throw new Error(`server exited before ready (${this.#exitInfo}):\n${this.#tail.join('\n')}`);
        }
        try {
          const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1000) });
          return res.status === 200;
        } catch {
          return false;
        }
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100, what: `GET ${this.url}/healthz → 200` },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\nserver log tail:\n${this.#tail.join('\n')}`);
    });
  }

  async crash(): Promise<void> {
    if (this.child.pid === undefined || this.#exited) return;
    this.child.kill('SIGKILL');
    await this.#exit;
  }

  /** Kills the whole process group; resolves once the leader exited. */
  async kill(): Promise<void> {
    const pgid = this.child.pid;
    if (pgid === undefined || this.#exited) return;
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-pgid, signal);
      } catch {
        /* group already gone */
      }
    };
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
    await this.#exit;
    clearTimeout(timer);
    signalGroup('SIGKILL'); // stragglers the leader left behind
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.kill();
      await new Promise<void>((done) => this.log.end(done));
      await rm(this.dataDir, { recursive: true, force: true });
    })();
    return this.#stopped;
  }
}
