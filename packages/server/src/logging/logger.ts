import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Creates the root logger: structured JSON lines on stdout, one per event, with the
 * `service` field set so logs of several processes can be told apart.
 */
export function createRootLogger(level: string): Logger {
  return pino({ level, base: { service: 'parley', pid: process.pid } });
}

/** Child logger for one module; every line it writes carries `module`. */
export function moduleLogger(root: Logger, module: string): Logger {
  return root.child({ module });
}
