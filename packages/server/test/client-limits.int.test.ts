/**
 * Limits per client address and per API key (issue 9, finding 7): the one client over its limit
 * is refused at the edge (HTTP 429 at upgrade, code 5 at register); everyone else carries on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TestClient } from './helpers/TestClient.js';
import { startTestServer, type TestServer } from './helpers/testServer.js';

/** Opens a raw socket with extra headers; resolves when open, rejects with the HTTP status. */
function open(server: TestServer, headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(server.url.replace('http', 'ws') + '/ws', { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map((ws) => new Promise((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve(null) : (ws.once('close', resolve), ws.close())))),
  );
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('connections per client address', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ limits: { maxConnectionsPerIp: 2, exemptLoopback: false } });
  });
  afterAll(() => server.stop());

  it('refuses a third socket from one address with HTTP 429; the others carry on; a close frees a slot', async () => {
    const { client: first } = await TestClient.registered(server.url, { userId: 'ip-1' });
    const second = await TestClient.connect(server.url);
    await expect(TestClient.connect(server.url)).rejects.toThrow(/429/);
    expect((await first.request({ type: 'ping' })).ok).toBe(true);
    expect((await second.register({ userId: 'ip-2' })).ok).toBe(true);
    await second.close();
    await until(() => server.stats().connections < 2);
    const third = await TestClient.connect(server.url);
    await Promise.all([first.close(), third.close()]);
  });
});

describe('connections per client address behind a trusted proxy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ limits: { maxConnectionsPerIp: 2 }, http: { trustProxy: true } });
  });
  afterAll(() => server.stop());

  it('counts the address the proxy appended to X-Forwarded-For, not the spoofable entries before it', async () => {
    const sockets: WebSocket[] = [];
    sockets.push(await open(server, { 'x-forwarded-for': '203.0.113.7' }));
    sockets.push(await open(server, { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' }));
    await expect(open(server, { 'x-forwarded-for': '198.51.100.2, 203.0.113.7' })).rejects.toThrow(/429/);
    // Another client behind the same proxy, and local clients (exempt by default), still get in.
    sockets.push(await open(server, { 'x-forwarded-for': '203.0.113.8' }));
    for (let i = 0; i < 3; i++) sockets.push(await open(server));
    await closeAll(sockets);
  });

  it('counts IPv6 clients by their /64, so one host cannot spread over its addresses', async () => {
    const sockets = [await open(server, { 'x-forwarded-for': '2001:db8:1:2::a' }), await open(server, { 'x-forwarded-for': '2001:db8:1:2:ffff::b' })];
    await expect(open(server, { 'x-forwarded-for': '2001:db8:1:2::c' })).rejects.toThrow(/429/);
    sockets.push(await open(server, { 'x-forwarded-for': '2001:db8:1:3::a' }));
    await closeAll(sockets);
  });
});

describe('X-Forwarded-For from proxies not listed in http.trustProxy', () => {
  let listed: TestServer;
  let unlisted: TestServer;
  beforeAll(async () => {
    const limits = { maxConnectionsPerIp: 2, exemptLoopback: false };
    // The tests connect from 127.0.0.1: a trusted proxy for one server, an unknown peer for the other.
    listed = await startTestServer({ limits, http: { trustProxy: ['loopback'] } });
    unlisted = await startTestServer({ limits, http: { trustProxy: ['10.0.0.0/8'] } });
  });
  afterAll(async () => {
    await listed.stop();
    await unlisted.stop();
  });

  it('honours the header from a listed proxy and ignores it (counting the peer) from anyone else', async () => {
    const sockets: WebSocket[] = [];
    for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) sockets.push(await open(listed, { 'x-forwarded-for': client }));
    sockets.push(await open(unlisted, { 'x-forwarded-for': '203.0.113.1' }));
    sockets.push(await open(unlisted, { 'x-forwarded-for': '203.0.113.2' }));
    // Three spoofed clients, one real peer: its limit of two is reached.
    await expect(open(unlisted, { 'x-forwarded-for': '203.0.113.3' })).rejects.toThrow(/429/);
    await closeAll(sockets);
  });
});

describe('sessions per API key', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ limits: { maxSessionsPerKey: 2 } });
  });
  afterAll(() => server.stop());

  it('refuses one more register with code 5 and closes 4003; other keys and sessions carry on', async () => {
    const { client: a } = await TestClient.registered(server.url, { userId: 'key-a' });
    const { client: b } = await TestClient.registered(server.url, { userId: 'key-b' });
    const c = await TestClient.connect(server.url);
    expect(await c.register({ userId: 'key-c' })).toMatchObject({ ok: false, error: { code: 5, message: 'too many sessions for this apiKey' } });
    expect((await c.closed).code).toBe(4003);
    // Another tenant is not affected by this key's sessions.
    const other = server.apiKeys.create();
    const { client: d } = await TestClient.registered(server.url, { apiKey: other.key, userId: 'key-d' });
    expect((await a.request({ type: 'contact.send', to: 'key-b', kind: 'message', content: 'hi' })).ok).toBe(true);
    expect(await b.nextEvent('contact.message')).toMatchObject({ from: 'key-a', content: 'hi' });
    // A session that ends frees its place.
    expect((await b.request({ type: 'unregister' })).ok).toBe(true);
    await until(() => server.stats().sessions < 3);
    const { client: e } = await TestClient.registered(server.url, { userId: 'key-e' });
    await Promise.all([a.close(), b.close(), d.close(), e.close()]);
  });
});
