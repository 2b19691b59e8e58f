import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { CloudMedia } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { codeOf, dataOf, joinConversation } from './helpers/conversation.js';
import type { TestClient } from './helpers/TestClient.js';
import { useTestServer } from './helpers/testServer.js';

const MAX = 64 * 1024;
const env = useTestServer({ cloudMedia: { maxFileBytes: MAX, allowedTypes: ['text/*', 'image/png', 'application/octet-stream'] } });
const user = (userId: string): Promise<TestClient> => env.user(userId);

const mediaDir = (): string => join(env.server.dataDir, 'cloud-media');
const storedFiles = (): string[] => readdirSync(mediaDir()).filter((name) => name !== 'tmp');
const pending = (): string[] => readdirSync(join(mediaDir(), 'tmp'));

async function ticket(client: TestClient, conversation: string, size: number, mimeType = 'text/plain'): Promise<string> {
  return dataOf<{ uploadPath: string }>(await client.request({ type: 'cloud.pushTicket', conversation, name: 'notes.txt', mimeType, size })).uploadPath;
}

function put(path: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(env.server.url + path, { method: 'PUT', body, headers: { 'content-type': 'text/plain', ...headers } });
}

/** Waits (up to 10 s, polling) until `condition` holds; fails with `what` otherwise. */
async function until(what: string, condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; !condition();) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('cloud media over HTTP', () => {
  it('a participant uploads; the others get cloud.newMedia and download it by its signed URL', async () => {
    const alice = await user('m1-alice');
    const bob = await user('m1-bob');
    await joinConversation(alice, 'm1');
    await joinConversation(bob, 'm1');
    const text = 'hello, file ✓';
    const size = Buffer.byteLength(text);
    const path = dataOf<{ uploadPath: string }>(
      await alice.request({ type: 'cloud.pushTicket', conversation: 'm1', name: 'hello.txt', mimeType: 'text/plain', size, metadata: { note: 1 } }),
    ).uploadPath;
    const answer = await put(path, text);
    expect(answer.status).toBe(201);
    const { media } = (await answer.json()) as { media: CloudMedia };
    expect(media).toMatchObject({ name: 'hello.txt', mimeType: 'text/plain', size, from: 'm1-alice', metadata: { note: 1 } });

    const event = await bob.nextEvent('cloud.newMedia');
    expect(event).toMatchObject({ conversation: 'm1', media: { id: media.id, name: 'hello.txt', size } });
    const download = await fetch(env.server.url + event.media.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain("filename*=UTF-8''hello.txt");
    expect(await download.text()).toBe(text);

    // The list gives the same media with a working URL.
    const listed = dataOf<{ media: CloudMedia[] }>(await bob.request({ type: 'cloud.list', conversation: 'm1' })).media;
    expect(listed.map((m) => m.id)).toEqual([media.id]);
    expect(await (await fetch(env.server.url + (listed[0]?.url ?? ''))).text()).toBe(text);
    // A ticket is single use.
    expect((await put(path, text)).status).toBe(404);
  });

  it('refuses non-participants, forged or tampered URLs and unknown tickets', async () => {
    const alice = await user('m2-alice');
    await joinConversation(alice, 'm2');
    const path = await ticket(alice, 'm2', 3);
    const { media } = (await (await put(path, 'abc')).json()) as { media: CloudMedia };

    const eve = await user('m2-eve');
    expect(codeOf(await eve.request({ type: 'cloud.pushTicket', conversation: 'm2', name: 'x.txt', mimeType: 'text/plain', size: 1 }))).toBe(16);
    expect(codeOf(await eve.request({ type: 'cloud.list', conversation: 'm2' }))).toBe(4);
    const url = new URL(env.server.url + media.url);
    expect((await fetch(`${env.server.url}/api/v1/media/${media.id}`)).status).toBe(404);
    const forged = new URL(url);
    forged.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 3600));
    expect((await fetch(forged)).status).toBe(404);
    const otherId = new URL(url);
    otherId.pathname = `/api/v1/media/${'A'.repeat(24)}`;
    expect((await fetch(otherId)).status).toBe(404);
    expect((await put('/api/v1/media/upload/not-a-ticket', 'abc')).status).toBe(404);
    expect((await fetch(url)).status).toBe(200);
  });

  it('enforces the size limit and the allowed types, and keeps nothing of a refused body', async () => {
    const alice = await user('m3-alice');
    await joinConversation(alice, 'm3');
    expect(await alice.request({ type: 'cloud.pushTicket', conversation: 'm3', name: 'big.bin', mimeType: 'text/plain', size: MAX + 1 })).toMatchObject({
      ok: false,
      error: { code: 9, message: `file larger than ${MAX} bytes` },
    });
    expect(await alice.request({ type: 'cloud.pushTicket', conversation: 'm3', name: 'x.exe', mimeType: 'application/x-msdownload', size: 3 })).toMatchObject({
      ok: false,
      error: { code: 9, message: 'file type application/x-msdownload not allowed' },
    });
    const before = storedFiles().length;
    // More bytes than announced: 413, whether the length header says so or the stream does.
    expect((await put(await ticket(alice, 'm3', 4), 'too long')).status).toBe(413);
    const chunked = await fetch(env.server.url + (await ticket(alice, 'm3', 4)), {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('way more than four bytes'));
          controller.close();
        },
      }),
      duplex: 'half',
    });
    expect(chunked.status).toBe(413);
    expect((await put(await ticket(alice, 'm3', 10), 'short')).status).toBe(400);
    expect(storedFiles()).toHaveLength(before);
    expect(pending()).toEqual([]);
    // The connection carries on.
    expect((await put(await ticket(alice, 'm3', 2), 'ok')).status).toBe(201);
  });

  it('a cancelled upload leaves no file: the partial body is removed when the client goes away', async () => {
    const alice = await user('m4-alice');
    await joinConversation(alice, 'm4');
    const size = 32 * 1024;
    const path = await ticket(alice, 'm4', size);
    const before = storedFiles().length;
    const url = new URL(env.server.url + path);
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'PUT',
      headers: { 'content-type': 'text/plain', 'content-length': String(size) },
    });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(size / 2, 1));
    // Streamed to a temporary file while it arrives...
    await until('the partial upload is on disk', () => pending().length === 1);
    req.destroy();
    // ...and gone once the client has left.
    await until('the partial upload is removed', () => pending().length === 0);
    expect(storedFiles()).toHaveLength(before);
    expect(dataOf<{ media: CloudMedia[] }>(await alice.request({ type: 'cloud.list', conversation: 'm4' })).media).toEqual([]);
  });
});
