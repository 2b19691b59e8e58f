import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../harness/index.js';

/** Resume window of the fuzzed server: short, so sessions the fuzzer drops expire during the run. */
export const FUZZ_RESUME_WINDOW_MS = 2000;

/**
 * The built server configured for fuzzing. The per-connection rate limit and the invalid-frame
 * limit are raised so far that they never close a fuzz socket: at the defaults (50 requests/s,
 * 20 invalid frames per 10 s) a socket would be closed after ~30 hostile frames and the fuzzer
 * would spend its time on reconnects and registrations, i.e. test the limiter (which has its own
 * tests) instead of the request handlers behind it. Everything else keeps its default.
 */
export async function startFuzzServer(name: string): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-fuzz-config-'));
  const config = join(dir, 'parley.config.json');
  writeFileSync(config, JSON.stringify({ limits: { invalidFrames: { max: 1_000_000_000 }, rateLimit: { maxRefusals: 1_000_000_000 } } }));
  return startServer({
    name,
    resumeWindowMs: FUZZ_RESUME_WINDOW_MS,
    logLevel: 'warn',
    env: {
      PARLEY_CONFIG: config,
      PARLEY_RATE_LIMIT_BURST: '1000000000',
      PARLEY_RATE_LIMIT_PER_SECOND: '1000000000',
    },
  });
}

/** `ws://` URL of the signalling socket of a running server. */
export function wsUrl(server: RunningServer): string {
  return `${server.url.replace(/^http/, 'ws')}/ws`;
}
