import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A second HTTP origin (another port) serving a page of a "third-party" app. */
export interface StaticOrigin {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The cross-origin app page: loads the SDK from the Parley server at `parleyUrl`, then registers
 * with the demo key passing `cloudUrl` (default: the Parley server), as an apiRTC app hosted
 * elsewhere does. The outcome lands in
 * `E2E.keep.register` (`{id}` or `{code, message}`), and the Session is watched by the E2E helpers.
 */
export function crossOriginAppHtml(parleyUrl: string, cloudUrl: string = parleyUrl): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>third-party app</title>
<script src="${parleyUrl}/sdk/parley.js"></script></head>
<body><h1>Third-party app</h1>
<script>
  E2E.register({ cloudUrl: ${JSON.stringify(cloudUrl)} })
    .then((id) => { E2E.keep.register = { id }; })
    .catch((e) => { E2E.keep.register = E2E.error(e); });
</script>
</body></html>`;
}

/**
 * Serves `routes` (path → HTML) on a free loopback port. Any other path answers 404.
 */
export async function startStaticOrigin(routes: Record<string, string>): Promise<StaticOrigin> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const body = routes[path];
    if (path === '/favicon.ico') {
      res.writeHead(204).end(); // no 404 noise in the pages' consoles
      return;
    }
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => {
      stopped ??= new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      });
      return stopped;
    },
  };
}
