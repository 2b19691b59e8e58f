import { log } from '../util/Logger.js';
import { toWebSocketUrl } from './baseUrl.js';
import { ConnectError } from './ConnectError.js';

/** What `GET {base}/api/v1/lookup` tells the SDK (protocol: Transport). */
export interface LookupResult {
  wsPath: string;
  serverVersion?: string;
  protocolVersion?: number;
  /** In a cluster: base URLs of the live nodes, the answering one first (where to reconnect when it is gone). */
  nodes?: string[];
}

/** Options of {@link lookupServer}. */
export interface LookupOptions {
  /** Retries after the first attempt (`cloudFetchRetries`, default 100). */
  retries: number;
  /** Base delay; attempt n waits `retryDelayMs × n` (`cloudFetchRetryDelay`, default 200). */
  retryDelayMs: number;
  fetchImpl?: typeof fetch;
  /** Gives up early (register cancelled, e.g. by unregister). */
  signal?: AbortSignal;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new ConnectError('aborted', 'lookup aborted'));
      },
      { once: true },
    );
  });
}

/**
 * Asks the server where its signalling endpoint is. Network failures and 5xx answers are retried
 * with a growing delay; a 4xx or a malformed answer means this is not a Parley server and fails
 * at once.
 * @throws ConnectError of kind `lookup` (or `aborted` when `signal` fires).
 */
export async function lookupServer(baseUrl: string, options: LookupOptions): Promise<LookupResult> {
  const doFetch = options.fetchImpl ?? globalThis.fetch?.bind(globalThis);
  if (!doFetch) throw new ConnectError('lookup', 'fetch is not available');
  const url = `${baseUrl}/api/v1/lookup`;
  const attempts = Math.max(0, Math.floor(options.retries)) + 1;
  let lastError = 'no attempt';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (options.signal?.aborted) throw new ConnectError('aborted', 'lookup aborted');
    try {
      const res = await doFetch(url, { cache: 'no-store', signal: options.signal ?? null });
      if (res.ok) {
        const body: unknown = await res.json();
        const wsPath = (body as { wsPath?: unknown } | null)?.wsPath;
        if (typeof wsPath !== 'string') throw new ConnectError('lookup', `malformed lookup answer from ${url}`);
        return body as LookupResult;
      }
      lastError = `HTTP ${res.status}`;
      if (res.status < 500) throw new ConnectError('lookup', `lookup refused by ${url}: ${lastError}`);
    } catch (err) {
      if (err instanceof ConnectError) throw err;
      if (options.signal?.aborted) throw new ConnectError('aborted', 'lookup aborted');
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (attempt < attempts) {
      log.warn(`lookup ${url} failed (${lastError}), retry ${attempt}/${attempts - 1}`);
      await sleep(options.retryDelayMs * attempt, options.signal);
    }
  }
  throw new ConnectError('lookup', `lookup ${url} failed: ${lastError}`);
}

/**
 * The WebSocket URLs to reconnect to: `first` (the server's own), then every other cluster node
 * the lookup named (http/https base URLs only, each once).
 */
export function clusterUrls(first: string, found: LookupResult): string[] {
  const urls = [first];
  if (!Array.isArray(found.nodes)) return urls;
  for (const node of found.nodes) {
    if (typeof node !== 'string' || !/^https?:\/\//i.test(node)) continue;
    const url = toWebSocketUrl(node.replace(/\/+$/, ''), found.wsPath);
    if (!urls.includes(url)) urls.push(url);
  }
  return urls;
}
