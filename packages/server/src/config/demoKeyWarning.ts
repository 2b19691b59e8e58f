import { isIP } from 'node:net';
import type { Config } from './Config.js';

/**
 * The warning `npm start` (and `node dist/main.js`) prints when the public demo key is on and the
 * server listens on an address other than loopback: `myDemoApiKey` is published in every apiRTC
 * tutorial, so anyone who reaches the port can register, call and record on this server.
 * Null when there is nothing to warn about.
 */
export function demoKeyWarning(config: Pick<Config, 'demoKey' | 'host'>): string | null {
  if (!config.demoKey || isLoopbackHost(config.host)) return null;
  const rule = '!'.repeat(78);
  return [
    rule,
    `!! The demo API key 'myDemoApiKey' is ON and the server listens on ${config.host} (not loopback only).`,
    '!! That key is public: anyone who can reach this port can use this server with it.',
    '!! In production set PARLEY_DEMO_KEY=off (or "demoKey": false) and create keys with',
    '!! `parley keys create` (docs/operations.md); for a trial set HOST=127.0.0.1. See docs/deployment.md.',
    rule,
  ].join('\n');
}

/** `localhost` or a loopback address (127/8, ::1). */
function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}
