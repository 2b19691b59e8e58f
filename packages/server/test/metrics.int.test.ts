/**
 * `GET /metrics` (issue 15 part 3): Prometheus text with the live counts, process metrics and
 * the signalling request histogram; the same access rule as /api/v1/stats, or a separate port.
 * The media counters moving during a real call are checked with Chromium in
 * tests/e2e/conversation/metrics.e2e.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { joinConversation } from './helpers/conversation.js';
import { TestClient } from './helpers/TestClient.js';
import { startTestServer, type TestServer } from './helpers/testServer.js';

/** The value of a sample `name{labels}` in exposition text (labels as written, in order), or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const wanted = labels === '' ? name : `${name}{${labels}}`;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    if (line.slice(0, space) === wanted) return Number(line.slice(space + 1));
  }
  return undefined;
}

describe('/metrics on the main port', () => {
  let server: TestServer;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
  });

  it('exports sessions, conversations, SFU and process metrics, and counts requests by type', async () => {
    const before = await (await fetch(`${server.url}/metrics`)).text();
    expect(sample(before, 'parley_sessions')).toBe(0);
    expect(sample(before, 'parley_sfu_packets_in_total')).toBe(0);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'parley_recordings_active']) {
      expect(sample(before, name), name).toBeGreaterThanOrEqual(0);
    }

    for (const id of ['m-alice', 'm-bob']) {
      const { client } = await TestClient.registered(server.url, { userId: id });
      clients.push(client);
      await joinConversation(client, 'metrics-room');
    }
    const [alice] = clients as [TestClient];
    expect((await alice.request({ type: 'conv.leave', conversation: 'nope' })).ok).toBe(false);

    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const after = await res.text();
    expect(sample(after, 'parley_sessions')).toBe(2);
    expect(sample(after, 'parley_websocket_connections')).toBe(2);
    expect(sample(after, 'parley_conversations')).toBe(1);
    expect(sample(after, 'parley_signalling_request_duration_seconds_count', 'type="conv.join",outcome="ok"')).toBe(2);
    expect(sample(after, 'parley_signalling_request_duration_seconds_count', 'type="conv.leave",outcome="error"')).toBe(1);
    expect(sample(after, 'parley_signalling_request_duration_seconds_bucket', 'le="+Inf",type="conv.join",outcome="ok"')).toBe(2);
  });

  it('is refused to remote and proxied clients, and to browsers of other origins (no CORS)', async () => {
    const proxied = await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(403);
    const crossOrigin = await fetch(`${server.url}/metrics`, { headers: { origin: 'https://elsewhere.example' } });
    expect(crossOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('/metrics and /api/v1/stats on a separate monitoring port', () => {
  const token = 'metrics-token-0123456789abcdef';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ http: { monitoringPort: 0, statsToken: token } });
  });
  afterAll(() => server.stop());

  it('serves them there only, with the token, and keeps /healthz on both', async () => {
    const port = server.monitoringPort;
    expect(port).toBeGreaterThan(0);
    expect(port).not.toBe(server.port);
    const monitoring = `http://127.0.0.1:${String(port)}`;
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(`${server.url}/metrics`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/stats`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${monitoring}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${monitoring}/metrics`, { headers: auth });
    expect(metrics.status).toBe(200);
    expect(sample(await metrics.text(), 'parley_sessions')).toBe(0);
    const stats = await fetch(`${monitoring}/api/v1/stats`, { headers: auth });
    expect(await stats.json()).toMatchObject({ sessions: 0 });
    expect((await fetch(`${monitoring}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('/metrics switched off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ http: { metrics: false } });
  });
  afterAll(() => server.stop());

  it('is not served, stats still are', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/stats`)).status).toBe(200);
  });
});
