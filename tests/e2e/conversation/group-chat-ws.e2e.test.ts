import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { pollUntil, startServer, type RunningServer } from '../harness/index.js';

/*
 * Chat-only membership over raw signalling sockets (docs/protocol.md § Group chat): who gets the
 * messages, what a chat member may not do, the moderation gate, the quota and bad input.
 */

type Frame = { type: string; re?: number; ok?: boolean; error?: { code: number }; data?: Record<string, unknown>; [k: string]: unknown };

class Raw {
  readonly frames: Frame[] = [];
  #id = 1;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => this.frames.push(JSON.parse(d.toString()) as Frame));
  }
  static async open(server: RunningServer, userId: string): Promise<Raw> {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const raw = new Raw(ws);
    const answer = await raw.request({ type: 'register', apiKey: 'myDemoApiKey', userId, groups: [], subscribeTo: [], userData: {} });
    expect(answer.ok).toBe(true);
    return raw;
  }
  async request(body: Record<string, unknown>): Promise<Frame> {
    const id = this.#id++;
    this.ws.send(JSON.stringify({ ...body, id }));
    let found: Frame | undefined;
    await pollUntil(() => (found = this.frames.find((f) => f.type === 'answer' && f.re === id)) !== undefined, { what: `answer to ${String(body.type)}` });
    return found as Frame;
  }
  messages(): string[] {
    return this.frames.filter((f) => f.type === 'conv.message').map((f) => String(f.content));
  }
}

let server: RunningServer;
const sockets: Raw[] = [];
async function user(id: string): Promise<Raw> {
  const raw = await Raw.open(server, id);
  sockets.push(raw);
  return raw;
}

beforeAll(async () => {
  server = await startServer({ name: 'group-chat-ws' });
});
afterAll(async () => {
  for (const s of sockets) s.ws.close();
  await server?.stop();
});

describe('conv.joinGroupChat / conv.leaveGroupChat', () => {
  test('a chat member gets and sends messages and reads history, but no streams and no media', async () => {
    const a = await user('gc-a');
    const b = await user('gc-b');
    const c = await user('gc-c');
    expect((await a.request({ type: 'conv.join', conversation: 'gc-room' })).ok).toBe(true);
    const publication = {
      conversation: 'gc-room',
      streamId: 1,
      msid: 'm1',
      hasAudio: true,
      hasVideo: false,
      isAudioMuted: false,
      isVideoMuted: false,
      isScreensharing: false,
    };
    expect((await a.request({ type: 'conv.publish', ...publication })).ok).toBe(true);
    // Not a member yet: sending is refused with 16.
    expect((await b.request({ type: 'conv.message', conversation: 'gc-room', content: 'early' })).error?.code).toBe(16);
    expect((await b.request({ type: 'conv.joinGroupChat', conversation: 'gc-room' })).ok).toBe(true);
    // Idempotent.
    expect((await b.request({ type: 'conv.joinGroupChat', conversation: 'gc-room' })).ok).toBe(true);

    expect((await a.request({ type: 'conv.message', conversation: 'gc-room', content: 'from A' })).ok).toBe(true);
    await pollUntil(() => b.messages().includes('from A'), { what: 'B gets A message' });
    expect((await b.request({ type: 'conv.message', conversation: 'gc-room', content: 'from B' })).ok).toBe(true);
    await pollUntil(() => a.messages().includes('from B'), { what: 'A gets B message' });
    // B never got its own message back, nor C (outside) anything.
    expect(b.messages()).not.toContain('from B');
    expect(c.messages()).toEqual([]);

    const history = await b.request({ type: 'conv.history', conversation: 'gc-room' });
    expect(history.ok).toBe(true);
    expect((history.data?.messages as { content: string }[]).map((m) => m.content)).toEqual(['from A', 'from B']);
    expect((await c.request({ type: 'conv.history', conversation: 'gc-room' })).error?.code).toBe(4);

    // No stream list, and no media requests.
    expect(b.frames.some((f) => f.type === 'conv.stream')).toBe(false);
    expect((await b.request({ type: 'conv.subscribe', conversation: 'gc-room', streamId: 1, audio: true, video: true })).error?.code).toBe(16);
    expect((await b.request({ type: 'conv.publish', ...publication, streamId: 2, msid: 'm2' })).error?.code).toBe(16);

    expect((await b.request({ type: 'conv.leaveGroupChat', conversation: 'gc-room' })).ok).toBe(true);
    expect((await b.request({ type: 'conv.leaveGroupChat', conversation: 'gc-room' })).error?.code).toBe(16);
    expect((await b.request({ type: 'conv.message', conversation: 'gc-room', content: 'after leave' })).error?.code).toBe(16);
    expect((await b.request({ type: 'conv.history', conversation: 'gc-room' })).error?.code).toBe(4);
    await a.request({ type: 'conv.message', conversation: 'gc-room', content: 'after B left' });
    await a.request({ type: 'ping' });
    expect(b.messages()).not.toContain('after B left');
  });

  test('chat members of a conversation without participants talk to each other', async () => {
    const d = await user('gc-d');
    const e = await user('gc-e');
    await d.request({ type: 'conv.joinGroupChat', conversation: 'gc-chat-only' });
    await e.request({ type: 'conv.joinGroupChat', conversation: 'gc-chat-only' });
    expect((await d.request({ type: 'conv.message', conversation: 'gc-chat-only', content: 'hi E' })).ok).toBe(true);
    await pollUntil(() => e.messages().includes('hi E'), { what: 'E gets D message' });
    // Session end drops the membership: E's messages no longer reach D's closed session, E carries on.
    d.ws.close();
    await pollUntil(async () => (await e.request({ type: 'conv.message', conversation: 'gc-chat-only', content: 'still here' })).ok === true, {
      what: 'E still sends',
    });
  });

  test('a moderated conversation refuses chat membership (14) to a guest not let in; a moderator gets it', async () => {
    const mod = await user('gc-mod');
    const guest = await user('gc-guest');
    const joined = await mod.request({ type: 'conv.join', conversation: 'gc-moderated', moderationEnabled: true, moderator: true });
    expect((joined.data?.moderation as { role: string }).role).toBe('moderator');
    expect((await guest.request({ type: 'conv.joinGroupChat', conversation: 'gc-moderated' })).error?.code).toBe(14);
    expect((await guest.request({ type: 'conv.message', conversation: 'gc-moderated', content: 'sneak' })).error?.code).toBe(16);
    expect((await guest.request({ type: 'conv.history', conversation: 'gc-moderated' })).error?.code).toBe(4);
    expect((await mod.request({ type: 'conv.joinGroupChat', conversation: 'gc-moderated' })).ok).toBe(true);
  });

  test('bad input is refused with 9, the quota with 14, and the socket carries on', async () => {
    const f = await user('gc-f');
    expect((await f.request({ type: 'conv.joinGroupChat' })).error?.code).toBe(9);
    expect((await f.request({ type: 'conv.joinGroupChat', conversation: '' })).error?.code).toBe(9);
    expect((await f.request({ type: 'conv.joinGroupChat', conversation: 'x'.repeat(10_000) })).error?.code).toBe(9);
    expect((await f.request({ type: 'conv.leaveGroupChat', conversation: 42 })).error?.code).toBe(9);
    // Conversations and chats share the per-session quota (default 20).
    expect((await f.request({ type: 'conv.join', conversation: 'gc-q-0' })).ok).toBe(true);
    for (let i = 1; i < 20; i++) expect((await f.request({ type: 'conv.joinGroupChat', conversation: `gc-q-${i}` })).ok).toBe(true);
    expect((await f.request({ type: 'conv.joinGroupChat', conversation: 'gc-q-20' })).error?.code).toBe(14);
    expect((await f.request({ type: 'conv.join', conversation: 'gc-q-21' })).error?.code).toBe(14);
    expect((await f.request({ type: 'conv.leaveGroupChat', conversation: 'gc-q-1' })).ok).toBe(true);
    expect((await f.request({ type: 'conv.joinGroupChat', conversation: 'gc-q-20' })).ok).toBe(true);
    expect((await f.request({ type: 'ping' })).ok).toBe(true);
  });
});
