import type { Config } from './config/Config.js';
import { demoKeyWarning } from './config/demoKeyWarning.js';
import { type Logger, moduleLogger } from './logging/logger.js';
import { type ParleyServer, startServer } from './server.js';

/** Time a shutdown after a fatal error may take before the process exits anyway, ms. */
export const FATAL_SHUTDOWN_MS = 5_000;
/** Exit status after an uncaught exception (the supervisor restarts the server). */
export const EXIT_CRASHED = 70; // EX_SOFTWARE (sysexits.h)

/**
 * Runs a server until SIGTERM or SIGINT, then shuts it down gracefully (sockets closed with
 * 4005, database closed). With `shutdown.drainSeconds`, it first drains: conversations under
 * way go on (up to that deadline) while new ones are refused; a second signal ends the drain.
 * A signal during the shutdown itself exits at once.
 *
 * Process-level failures: an unhandled promise rejection is logged and the server goes on (it
 * failed one operation, whose owner forgot to catch); an uncaught exception is logged as fatal
 * with its reason, the server is shut down (bounded by {@link FATAL_SHUTDOWN_MS}) and the
 * process exits with {@link EXIT_CRASHED}: its state is unknown from then on, and a supervisor
 * (systemd, `npm start`) starts a fresh one.
 */
export async function serve(config: Config): Promise<ParleyServer> {
  const server = await startServer(config);
  const log = moduleLogger(server.logger, 'main');
  log.info({ url: server.url, host: config.host, port: server.port, dataDir: config.dataDir, demoKey: config.demoKey }, `listening on ${server.url}`);
  const warning = demoKeyWarning(config);
  if (warning !== null) {
    // Straight to stderr as a banner as well: a JSON log line is easy to miss in a terminal.
    process.stderr.write(`\n${warning}\n\n`);
    log.warn({ host: config.host }, 'the public demo API key is on and the server is reachable beyond loopback');
  }
  let phase: 'running' | 'draining' | 'stopping' = 'running';
  let cutDrain: (() => void) | undefined;
  const shutDown = (signal: NodeJS.Signals): void => {
    phase = 'stopping';
    log.info({ signal }, 'shutting down');
    server.close().then(
      () => {
        log.info('stopped');
        process.exitCode = 0;
        // Timers and sockets are all closed; exiting explicitly guards against a stray handle.
        setTimeout(() => process.exit(0), 100).unref();
      },
      (error: unknown) => {
        log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  const stop = (signal: NodeJS.Signals): void => {
    if (phase === 'stopping') {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    if (phase === 'draining') {
      // A second signal while draining: stop waiting for the conversations, shut down now.
      cutDrain?.();
      return;
    }
    const drainSeconds = config.shutdown.drainSeconds;
    if (drainSeconds === 0) {
      shutDown(signal);
      return;
    }
    phase = 'draining';
    log.info({ signal, drainSeconds, conversations: server.stats().conversations }, 'draining: conversations under way go on, no new ones');
    const cut = new Promise<'cut'>((resolve) => {
      cutDrain = () => resolve('cut');
    });
    void Promise.race([server.drain(drainSeconds * 1000), cut]).then((outcome) => {
      const message = outcome === 'empty' ? 'drained: every conversation ended' : outcome === 'deadline' ? 'drain deadline reached' : 'drain cut short';
      log.info({ outcome, conversations: server.stats().conversations }, message);
      if (phase === 'draining') shutDown(signal);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  installCrashHandlers(server, log);
  return server;
}

function installCrashHandlers(server: ParleyServer, log: Logger): void {
  process.on('unhandledRejection', (reason: unknown) => {
    log.error({ err: reason }, `unhandled promise rejection (ignored, the server goes on): ${describe(reason)}`);
  });
  let crashed = false;
  process.on('uncaughtException', (error: Error, origin: string) => {
    if (crashed) {
      // Thrown again while shutting down: give up on a clean exit.
      log.fatal({ err: error, origin }, `second uncaught exception during the fatal shutdown: ${describe(error)}`);
      process.exit(EXIT_CRASHED);
    }
    crashed = true;
    log.fatal({ err: error, origin }, `uncaught exception, exiting: ${describe(error)}`);
    setTimeout(() => {
      log.fatal(`shutdown did not finish within ${FATAL_SHUTDOWN_MS} ms; exiting anyway`);
      process.exit(EXIT_CRASHED);
    }, FATAL_SHUTDOWN_MS).unref();
    server.close().then(
      () => {
        log.info('stopped after the fatal error');
        process.exit(EXIT_CRASHED);
      },
      (closeError: unknown) => {
        log.error({ err: closeError }, 'error during the fatal shutdown');
        process.exit(EXIT_CRASHED);
      },
    );
  });
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  return String(reason);
}
