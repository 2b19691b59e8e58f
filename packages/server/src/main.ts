/*
 * Process entry: `node dist/main.js`. Configuration from the environment and
 * parley.config.json (see docs/operations.md).
 */
import { ConfigError } from './config/ConfigError.js';
import { loadConfig } from './config/loadConfig.js';
import { serve } from './serve.js';

try {
  await serve(loadConfig());
} catch (error) {
  const message = error instanceof ConfigError ? error.message : `Parley failed to start: ${(error as Error).stack ?? String(error)}`;
  process.stderr.write(message + '\n');
  process.exit(1);
}
