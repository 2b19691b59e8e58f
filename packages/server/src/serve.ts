import type { Config } from './config/Config.js';
import { moduleLogger } from './logging/logger.js';
import { type ParleyServer, startServer } from './server.js';

/**
 * Runs a server until SIGTERM or SIGINT, then shuts it down gracefully (sockets closed with
 * 4005, database closed). A second signal exits at once.
 */
export async function serve(config: Config): Promise<ParleyServer> {
  const server = await startServer(config);
  const log = moduleLogger(server.logger, 'main');
  log.info(
    { url: server.url, host: config.host, port: server.port, dataDir: config.dataDir, demoKey: config.demoKey },
    `listening on ${server.url}`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
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
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server;
}
