import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TestClient } from './helpers/TestClient.js';
import { startTestServer, type TestServer } from './helpers/testServer.js';

describe('connection limits and heartbeat', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ limits: { maxConnections: 2, pingIntervalMs: 400 } });
  });
  afterAll(() => server.stop());

  it('refuses upgrades beyond maxConnections with HTTP 503, and accepts again once one closes', async () => {
    const a = await TestClient.connect(server.url);
    const b = await TestClient.connect(server.url);
    await expect(TestClient.connect(server.url)).rejects.toThrow(/503/);
    await a.close();
    // The server notices the close on its own side; wait for it rather than race it.
    while (server.stats().connections >= 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const c = await TestClient.connect(server.url);
    await Promise.all([b.close(), c.close()]);
  });

  it('refuses upgrades on other paths', async () => {
    const ws = new WebSocket(server.url.replace('http', 'ws') + '/elsewhere');
    await expect(new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))).rejects.toThrow(/404/);
  });

  it('answers pongs and keeps a live socket; terminates one that stops answering pings', async () => {
    const { client: live } = await TestClient.registered(server.url);
    const silent = new WebSocket(server.url.replace('http', 'ws') + '/ws', { autoPong: false });
    const closed = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
    await new Promise((resolve) => silent.once('open', resolve));
    silent.send(JSON.stringify({ type: 'register', id: 1, apiKey: 'myDemoApiKey', groups: [], subscribeTo: [], userData: {} }));
    // Terminated without close frame: the client sees 1006.
    expect(await closed).toBe(1006);
    expect((await live.request({ type: 'ping' })).ok).toBe(true);
    await live.close();
  });
});
