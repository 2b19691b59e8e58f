import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/testServer.js';

describe('HTTP endpoints', () => {
  let server: TestServer;
  let sdkDir: string;

  beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), 'parley-static-'));
    sdkDir = join(root, 'sdk');
    const appDir = join(root, 'app');
    await mkdir(sdkDir);
    await mkdir(join(appDir, 'assets'), { recursive: true });
    await writeFile(join(sdkDir, 'parley.js'), 'window.apiRTC = {};\n//# sourceMappingURL=parley.js.map\n');
    await writeFile(join(sdkDir, 'parley.js.map'), '{"version":3}');
    await writeFile(join(sdkDir, 'parley.mjs'), 'export const version = "x";\n');
    await writeFile(join(appDir, 'index.html'), '<!doctype html><title>meet</title>');
    await writeFile(join(appDir, 'assets', 'app.js'), 'console.log(1)');
    server = await startTestServer({ sdkDir, appDir });
  });
  afterAll(() => server.stop());

  it('GET /healthz answers 200 with status, version, uptime and sessions', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', sessions: 0 });
    expect(typeof body.version).toBe('string');
    expect(typeof body.uptimeS).toBe('number');
  });

  it('GET /api/v1/lookup answers the ws path and versions, with CORS for any origin', async () => {
    const res = await fetch(`${server.url}/api/v1/lookup`, { headers: { origin: 'https://elsewhere.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toMatchObject({ wsPath: '/ws', protocolVersion: 1, serverVersion: expect.any(String) });
    const preflight = await fetch(`${server.url}/api/v1/lookup`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('serves the SDK with CORS, no-cache and an ETag, also under the apiRTC script name', async () => {
    for (const path of ['/sdk/parley.js', '/apiRTC/apiRTC-latest.min.js']) {
      const res = await fetch(`${server.url}${path}`, { headers: { origin: 'https://app.example' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('window.apiRTC');
      const etag = res.headers.get('etag');
      expect(etag).toBeTruthy();
      const again = await fetch(`${server.url}${path}`, { headers: { 'if-none-match': etag as string } });
      expect(again.status).toBe(304);
    }
    expect((await fetch(`${server.url}/sdk/parley.mjs`)).status).toBe(200);
    expect((await fetch(`${server.url}/sdk/parley.js.map`)).headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${server.url}/apiRTC/parley.js.map`)).status).toBe(200);
    expect((await fetch(`${server.url}/sdk/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/sdk/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it('serves the demo app at / with assets and a fallback for app routes', async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(await index.text()).toContain('<title>meet</title>');
    expect(await (await fetch(`${server.url}/assets/app.js`)).text()).toBe('console.log(1)');
    expect(await (await fetch(`${server.url}/room/abc`)).text()).toContain('<title>meet</title>');
    expect((await fetch(`${server.url}/assets/nope.js`)).status).toBe(404);
  });

  it('answers a plain GET /ws with 426 and refuses upgrades on other paths', async () => {
    expect((await fetch(`${server.url}/ws`)).status).toBe(426);
  });

  it('sends the security headers on every response, and the app CSP on HTML pages', async () => {
    for (const path of ['/', '/room/abc', '/assets/app.js', '/sdk/parley.js', '/api/v1/lookup', '/healthz', '/api/v1/stats', '/assets/nope.js', '/ws']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
    const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect((await fetch(`${server.url}/sdk/parley.js`)).headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    // A revalidated page keeps the page's policy: the browser applies the 304's headers.
    const etag = (await fetch(`${server.url}/`)).headers.get('etag') as string;
    const revalidated = await fetch(`${server.url}/`, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('content-security-policy')).toBe(csp);
  });

  it('serves /api/v1/stats to local clients only, without CORS, and never to a proxied request', async () => {
    const local = await fetch(`${server.url}/api/v1/stats`, { headers: { origin: 'https://elsewhere.example' } });
    expect(local.status).toBe(200);
    expect(local.headers.get('access-control-allow-origin')).toBeNull();
    expect(await local.json()).toMatchObject({ sessions: 0 });
    // A reverse proxy on this host connects from loopback for remote clients.
    const proxied = await fetch(`${server.url}/api/v1/stats`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(403);
    expect(await proxied.text()).toMatch(/statsToken/);
  });
});

describe('HTTP stats with a token', () => {
  const token = 'stats-token-0123456789abcdef';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ http: { statsToken: token } });
  });
  afterAll(() => server.stop());

  it('answers only with the bearer token, even to local clients', async () => {
    const none = await fetch(`${server.url}/api/v1/stats`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`${server.url}/api/v1/stats`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const ok = await fetch(`${server.url}/api/v1/stats`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.9' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ sessions: 0, conversations: 0 });
  });
});

describe('HTTP endpoints without builds', () => {
  let server: TestServer;
  beforeAll(async () => {
    const empty = await mkdtemp(join(tmpdir(), 'parley-nobuild-'));
    server = await startTestServer({ sdkDir: join(empty, 'sdk-dist'), appDir: join(empty, 'app-dist') });
  });
  afterAll(() => server.stop());

  it('answers 503 telling to run npm run build, and keeps serving the rest', async () => {
    for (const path of ['/sdk/parley.js', '/apiRTC/apiRTC-latest.min.js', '/']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/npm run build/);
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
