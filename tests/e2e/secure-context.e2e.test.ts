/**
 * Cameras need a secure context (issue 15 part 5): on a page served over plain HTTP from an
 * address other than localhost, the browser hides `navigator.mediaDevices`; the SDK's
 * `createStream` rejection and `userMediaError` then say why, instead of a bare TypeError.
 *
 * The page is served by a small HTTP server on this machine's own non-loopback address (when it
 * has one), and also under a host name Chromium resolves to that address: both are insecure
 * origins. The SDK script comes from the Parley server on loopback, as an app hosted elsewhere
 * would load it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newUser, TEST_PAGE_PATH, useE2E, waitInPage } from './harness/index.js';

/** This machine's first non-internal IPv4 address, or loopback when it has none. */
function ownAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return '127.0.0.1';
}

const ADDRESS = ownAddress();
const HOST_NAME = 'insecure-origin.test';
const env = useE2E('secure-context', {}, { extraArgs: [`--host-resolver-rules=MAP ${HOST_NAME} ${ADDRESS}`] });

function pageHtml(parleyUrl: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>insecure app</title>
<script src="${parleyUrl}/sdk/parley.js"></script></head>
<body><script>
  const ua = new apiRTC.UserAgent({ uri: 'apzkey:myDemoApiKey' });
  const out = (E2E.keep.insecure = { secure: window.isSecureContext });
  ua.on('userMediaError', (info) => {
    out.event = { name: info.error && info.error.name, message: String(info.error && info.error.message), audio: info.audio, video: info.video };
  });
  ua.createStream({ constraints: { audio: true, video: true } }).then(
    () => { out.created = true; },
    (e) => { out.rejected = { name: e && e.name, message: String(e && e.message) }; },
  );
</script></body></html>`;
}

let server: Server;
let port: number;

beforeAll(async () => {
  const html = pageHtml(env.server.url);
  server = createServer((req, res) => {
    if (req.url !== '/app.html') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, ADDRESS, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('a page that is not a secure context', () => {
  const origins = (): string[] => [`http://${HOST_NAME}:${port}`, ...(ADDRESS === '127.0.0.1' ? [] : [`http://${ADDRESS}:${port}`])];

  test('createStream rejects and userMediaError fires with the reason: HTTPS is needed off localhost', async () => {
    for (const origin of origins()) {
      const user = await newUser(env.browser, `insecure ${origin}`, { url: `${origin}/app.html` });
      await waitInPage(user, 'createStream settled', () => {
        const r = E2E.keep.insecure as { rejected?: unknown; created?: boolean; event?: unknown } | undefined;
        return r !== undefined && (r.rejected !== undefined || r.created === true) && r.event !== undefined;
      });
      const result = (await user.page.evaluate(() => E2E.keep.insecure)) as {
        secure: boolean;
        rejected?: { name: string; message: string };
        event?: { name: string; message: string; audio: boolean; video: boolean };
      };
      expect(result.secure, origin).toBe(false);
      expect(result.rejected?.name).toBe('TypeError');
      expect(result.rejected?.message).toMatch(/secure context/);
      expect(result.rejected?.message).toMatch(/HTTPS or from localhost/);
      expect(result.rejected?.message).toContain(origin);
      expect(result.event).toEqual({ ...result.rejected, audio: true, video: true });
      await user.close();
    }
  });

  test('on the Parley origin itself (http://127.0.0.1, a secure context) the same call gets a stream', async () => {
    const user = await newUser(env.browser, 'loopback', {
      routeOrigin: env.server.url,
      routeHtml: pageHtml(env.server.url),
      url: `${env.server.url}${TEST_PAGE_PATH}app.html`,
    });
    await waitInPage(user, 'createStream settled', () => (E2E.keep.insecure as { created?: boolean } | undefined)?.created === true);
    expect(await user.page.evaluate(() => (E2E.keep.insecure as { secure: boolean }).secure)).toBe(true);
  });
});
