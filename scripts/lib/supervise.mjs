// `npm start`'s supervisor: runs the server as a child process and starts it again after a
// crash, with backoff. Node built-ins only (it runs before anything is installed).
import { spawn } from 'node:child_process';

/** Exit status of a server that cannot start (bad configuration, port taken): never restarted. */
export const EXIT_CANNOT_START = 78;

/**
 * Runs `command args` and restarts it when it exits on its own with a non-zero status or a
 * signal. Stops (and stops the child) on SIGINT/SIGTERM, exiting with the child's status.
 *
 * Not restarted: exit 0 (a clean stop the child chose), exit 78 (it cannot start: the same
 * configuration would fail again, so looping would only hide the message), and a crash loop:
 * `maxQuickCrashes` crashes in a row, each within `quickMs` of its start.
 * Backoff: `initialDelayMs`, doubled after each quick crash up to `maxDelayMs`; back to the
 * initial delay once a run lasted `quickMs`.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {{ initialDelayMs?: number, maxDelayMs?: number, quickMs?: number, maxQuickCrashes?: number,
 *           spawnOptions?: import('node:child_process').SpawnOptions, log?: (line: string) => void }} [options]
 */
export function supervise(command, args, options = {}) {
  const initialDelayMs = options.initialDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const quickMs = options.quickMs ?? 10_000;
  const maxQuickCrashes = options.maxQuickCrashes ?? 5;
  const log = options.log ?? ((line) => process.stderr.write(`[supervisor] ${line}\n`));

  let child = null;
  let stopping = false;
  let restartTimer = null;
  let delay = initialDelayMs;
  let quickCrashes = 0;
  let starts = 0;

  const start = () => {
    restartTimer = null;
    starts++;
    const startedAt = Date.now();
    // Own process group: a Ctrl-C in the terminal reaches the supervisor only, which forwards
    // it once (a second SIGINT makes the server skip its graceful shutdown).
    child = spawn(command, args, { stdio: 'inherit', detached: true, ...options.spawnOptions });
    child.on('error', (error) => log(`could not start the server: ${error.message}`));
    child.on('exit', (code, signal) => {
      child = null;
      const how = signal ? `signal ${signal}` : `status ${code}`;
      if (stopping) return process.exit(code ?? (signal ? 1 : 0));
      if (code === 0) return process.exit(0);
      if (code === EXIT_CANNOT_START) {
        log(`the server cannot start (${how}); not restarting. Fix the cause above and start again.`);
        return process.exit(code);
      }
      const ranMs = Date.now() - startedAt;
      if (ranMs >= quickMs) {
        quickCrashes = 0;
        delay = initialDelayMs;
      }
      quickCrashes++;
      if (quickCrashes >= maxQuickCrashes) {
        log(`the server exited (${how}) ${quickCrashes} times in a row within ${quickMs} ms of starting; giving up`);
        return process.exit(code || 1);
      }
      log(`the server exited (${how}) after ${ranMs} ms; restarting in ${delay} ms (start #${starts + 1})`);
      restartTimer = setTimeout(start, delay);
      delay = Math.min(delay * 2, maxDelayMs);
    });
  };

  // Whatever ends the supervisor (other than SIGKILL) ends the server too.
  process.on('exit', () => child?.kill('SIGTERM'));
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      stopping = true;
      if (restartTimer !== null) {
        clearTimeout(restartTimer);
        restartTimer = null;
      }
      if (child) child.kill(signal);
      else process.exit(0);
    });
  }
  start();
}
