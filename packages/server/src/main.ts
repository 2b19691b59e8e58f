/*
 * Process entry: `node dist/main.js`. Configuration from the environment and
 * parley.config.json (see docs/operations.md).
 */
import { ConfigError } from './config/ConfigError.js';
import { loadConfig } from './config/loadConfig.js';
import { serve } from './serve.js';
import { DatabaseError } from './storage/DatabaseError.js';

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
  process.exit(1);
}
