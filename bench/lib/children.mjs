// Child processes for benchmarks: spawned with a raised file-descriptor limit, tracked, and
// always killed when the benchmark ends (normally, by error, or by a signal).
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const live = new Set();

function killAll(signal = 'SIGKILL') {
  for (const child of live) {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}
process.on('exit', () => killAll('SIGKILL'));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killAll('SIGKILL');
    process.exit(130);
  });
}

/**
 * Registers a child so it is always killed with this process, and keeps its output: written to
 * `logFile` and the first MiB kept in `child.output` (for error messages).
 */
function tracked(child, logFile) {
  live.add(child);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.exited.then(() => live.delete(child));
  child.logFile = logFile;
  child.output = '';
  const log = logFile ? createWriteStream(logFile) : null;
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      log?.write(chunk);
      if (child.output.length < 1 << 20) child.output += chunk;
    });
  }
  child.exited.then(() => log?.end());
  return child;
}

/**
 * Spawns `node <nodeArgs…>` through `bash -c 'ulimit -n …; exec node …'` so the child gets the
 * highest file-descriptor limit allowed (65536 when permitted, else the hard limit); `exec`
 * keeps the pid, so /proc/<pid> is the node process itself. stdout/stderr go to `logFile`.
 * `ipc: true` opens a message channel (process.send in the child). An `env` entry whose value is
 * undefined removes that variable.
 */
export function spawnNode(nodeArgs, { cwd, env = {}, logFile, ipc = false } = {}) {
  const quoted = nodeArgs.map((a) => `'${String(a).replaceAll("'", `'\\''`)}'`).join(' ');
  const script = `ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "${process.execPath}" ${quoted}`;
  const childEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const child = spawn('bash', ['-c', script], {
    cwd,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  });
  return tracked(child, logFile);
}

/**
 * Spawns any executable (not node), tracked and always killed like spawnNode's children;
 * stdout/stderr go to `logFile`.
 */
export function spawnCommand(file, args, { cwd, env, logFile } = {}) {
  const child = spawn(file, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  return tracked(child, logFile);
}

/** Last `lines` lines a child printed (for error messages). */
export function tail(child, lines = 20) {
  let text = child.output;
  if (child.logFile) {
    try {
      text = readFileSync(child.logFile, 'utf8');
    } catch {
      /* use what was captured */
    }
  }
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Stops a child: `signal`, then SIGKILL after `graceMs`. Resolves when it has exited. */
export async function stop(child, { signal = 'SIGTERM', graceMs = 5000 } = {}) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exited;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const result = await child.exited;
  clearTimeout(timer);
  return result;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx, the child exits, or `timeoutMs` passes. */
export async function waitForHttp(url, { child, timeoutMs = 20000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`process exited (${child.exitCode ?? child.signalCode}) before ${url} answered:\n${tail(child)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return res;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err.cause?.code ?? err.message;
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastError})` + (child ? `:\n${tail(child)}` : ''));
}

/** Resolves with the first stdout line of `child` that parses as JSON and passes `accept`. */
export function waitForJsonLine(child, accept, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => done(new Error(`no ready line within ${timeoutMs} ms:\n${tail(child)}`)), timeoutMs);
    const onData = (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const value = JSON.parse(line);
          if (accept(value)) return done(null, value);
        } catch {
          /* not JSON */
        }
      }
    };
    const onExit = () => done(new Error(`process exited before it was ready:\n${tail(child)}`));
    function done(err, value) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value);
    }
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Request/answer over a child's IPC channel: sends `{...msg, rid}` and resolves with the child's
 * `{rid, ok, result | error}`; rejects on timeout or when the child exits.
 */
export function ipcClient(child) {
  let next = 1;
  const pending = new Map();
  child.on('message', (msg) => {
    const p = pending.get(msg?.rid);
    if (!p) return;
    pending.delete(msg.rid);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.error));
  });
  child.exited.then(({ code, signal }) => {
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`load generator exited (${code ?? signal}):\n${tail(child)}`));
    }
    pending.clear();
  });
  return (msg, timeoutMs = 120000) =>
    new Promise((resolve, reject) => {
      const rid = next++;
      const timer = setTimeout(() => {
        pending.delete(rid);
        reject(new Error(`load generator: '${msg.cmd}' did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(rid, { resolve, reject, timer });
      child.send({ ...msg, rid });
    });
}
