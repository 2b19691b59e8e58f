/*
 * Process entry: `node dist/main.js`. Configuration from the environment and
 * parley.config.json (see docs/operations.md).
 *
 * Exit statuses: 0 after SIGTERM/SIGINT; 78 (EX_CONFIG) when the server cannot start (bad
 * configuration, unusable data directory, port taken): restarting will not help, and
 * supervisors are told not to (`npm start`, systemd `RestartPreventExitStatus=78`); 70 after
 * an uncaught exception (see serve.ts): a restart gives a clean state.
 */
import { ConfigError } from './config/ConfigError.js';
import { loadConfig } from './config/loadConfig.js';
import { serve } from './serve.js';
import { DatabaseError } from './storage/DatabaseError.js';

/** EX_CONFIG (sysexits.h): the configuration or environment does not let the server start. */
const EXIT_CANNOT_START = 78;

try {
  await serve(loadConfig());
} catch (error) {
  // Expected failures (bad configuration, unusable data directory, port taken) read best
  // without a stack trace.
  const expected =
    error instanceof ConfigError ||
    error instanceof DatabaseError ||
    (error instanceof Error && 'syscall' in error && typeof (error as NodeJS.ErrnoException).code === 'string');
  const text = expected ? (error as Error).message : ((error as Error).stack ?? String(error));
  process.stderr.write(`Parley failed to start: ${text}\n`);
  process.exit(EXIT_CANNOT_START);
}
