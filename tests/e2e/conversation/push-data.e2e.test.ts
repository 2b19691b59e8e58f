import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { useE2E, waitInPage } from '../harness/index.js';
import { convUser, join } from './helpers.js';

// A small size limit, through a configuration file (the setting has no environment variable).
const MAX = 200_000;
const configDir = mkdtempSync(joinPath(tmpdir(), 'parley-e2e-push-'));
const configFile = joinPath(configDir, 'parley.config.json');
writeFileSync(configFile, JSON.stringify({ cloudMedia: { maxFileBytes: MAX } }));
afterAll(() => rmSync(configDir, { recursive: true, force: true }));

const env = useE2E('push-data', { env: { PARLEY_CONFIG: configFile } });

/** Records the uploader's transfer events and the others' newMediaAvailable. */
function watchTransfers(): void {
  for (const name of ['transferPending', 'transferBegun', 'transferProgress', 'transferEnded']) {
    CONV.conv.on(name, (e: object) => E2E.record(name, e));
  }
  CONV.conv.on('newMediaAvailable', (e: { sender: { getId(): string }; media: object }) =>
    E2E.record('newMediaAvailable', {
      senderId: e.sender.getId(),
      senderIsContact: e.sender === E2E.session.getOrCreateContact(e.sender.getId()),
      media: e.media,
    }),
  );
}

describe('pushData: cloud media of a conversation', () => {
  test('the others get newMediaAvailable and download the file; a non-participant cannot', async () => {
    const a = await convUser(env, 'alice');
    const b = await convUser(env, 'bob');
    await join(a.user, 'files-1');
    await join(b.user, 'files-1');
    await a.user.page.evaluate(watchTransfers);
    await b.user.page.evaluate(watchTransfers);
    await waitInPage(a.user, 'bob joined', (id: string) => E2E.of('contactJoined').some((e) => e.id === id), b.id);

    const text = 'Parley file ✓ '.repeat(1000);
    const info = await a.user.page.evaluate(async (t) => {
      const media = await CONV.conv.pushData({ file: new File([t], 'notes.txt', { type: 'text/plain' }), metadata: { topic: 'minutes' } });
      return JSON.parse(JSON.stringify(media)) as { id: string; url: string; name: string; type: string; size: number; senderId: string; metadata: object };
    }, text);
    const size = Buffer.byteLength(text);
    expect(info).toMatchObject({ name: 'notes.txt', type: 'text/plain', size, senderId: a.id, metadata: { topic: 'minutes' } });
    expect(info.url.startsWith(env.server.url + '/api/v1/media/')).toBe(true);
    const events = await a.user.page.evaluate(() => ({
      begun: E2E.of('transferBegun'),
      progress: E2E.of('transferProgress') as unknown as { percentage: number; size: number; remBytes: number }[],
      ended: E2E.of('transferEnded'),
    }));
    expect(events.begun).toMatchObject([{ id: expect.any(String), name: 'notes.txt' }]);
    expect(events.ended).toMatchObject([{ id: events.begun[0]?.id, name: 'notes.txt' }]);
    expect(events.progress.at(-1)).toMatchObject({ size, remBytes: 0, percentage: 100 });

    await waitInPage(b.user, 'newMediaAvailable', () => E2E.count('newMediaAvailable') === 1);
    const got = await b.user.page.evaluate(async () => {
      const e = E2E.of('newMediaAvailable')[0] as unknown as { senderId: string; senderIsContact: boolean; media: { url: string; id: string } };
      const blob = await CONV.conv.getMedia(e.media.url);
      const listed = (await CONV.conv.fetchMediaList(E2E.session)) as { id: string }[];
      return { event: e, text: await blob.text(), type: blob.type, listed: listed.map((m) => m.id) };
    });
    expect(got.event).toMatchObject({ senderId: a.id, senderIsContact: true, media: { id: info.id, name: 'notes.txt', size } });
    expect(got.text).toBe(text);
    expect(got.type).toBe('text/plain');
    expect(got.listed).toEqual([info.id]);
    // The uploader does not get its own announcement.
    expect(await a.user.page.evaluate(() => E2E.count('newMediaAvailable'))).toBe(0);

    // Carol is registered but not in the conversation: no list, no upload, and no file without the signed link.
    const c = await convUser(env, 'carol');
    const refused = await c.user.page.evaluate(async (url) => {
      const conv = E2E.session.getOrCreateConversation('files-1');
      const unsigned = url.split('?')[0] as string;
      return {
        list: await conv.fetchMediaList(E2E.session).then(() => 'resolved', CONV.err),
        push: await conv.pushData({ file: new File(['x'], 'x.txt', { type: 'text/plain' }) }).then(() => 'resolved', CONV.err),
        unsigned: await conv.getMedia(unsigned).then(() => 'resolved', CONV.err),
      };
    }, info.url);
    expect(refused).toEqual({
      list: { code: 4, message: 'fetchMediaList() - failed to get media list : not a participant of this conversation' },
      push: { code: 0, message: 'pushData() - A - cannot push data : conversation not joined' },
      unsigned: { code: 0, message: 'getMedia() - cannot get media : HTTP 404' },
    });
  });

  test('bad input: no file, oversize file, cancel of a waiting and of a starting upload, unknown transfer id', async () => {
    const a = await convUser(env, 'alice');
    await join(a.user, 'files-2');
    await a.user.page.evaluate(watchTransfers);
    const out = await a.user.page.evaluate(async (max) => {
      const conv = CONV.conv;
      const r: Record<string, unknown> = {};
      r.missing = await conv.pushData({}).then(() => 'resolved', CONV.err);
      r.bufferWithoutName = await conv.pushData({ buffer: new ArrayBuffer(4) }).then(() => 'resolved', CONV.err);
      r.oversize = await conv
        .pushData({ buffer: new ArrayBuffer(max + 1), filename: 'big.bin', filetype: 'application/octet-stream' })
        .then(() => 'resolved', CONV.err);
      r.unknownId = await conv.cancelPushData('nope').then(() => 'resolved', CONV.err);
      // Cancel the first upload as it begins, and the second while it waits behind it.
      conv.on('transferBegun', (e: { id: string; name: string }) => {
        if (e.name === 'first.txt') void conv.cancelPushData(e.id);
      });
      conv.on('transferPending', (e: { id: string }) => void conv.cancelPushData(e.id));
      const first = conv.pushData({ file: new File(['1'], 'first.txt', { type: 'text/plain' }) });
      const second = conv.pushData({ file: new File(['2'], 'second.txt', { type: 'text/plain' }) });
      r.first = await first.then(() => 'resolved', CONV.err);
      r.second = await second.then(() => 'resolved', CONV.err);
      // Still usable afterwards.
      const third = await conv.pushData({ buffer: new TextEncoder().encode('third').buffer, filename: 'third.txt', filetype: 'text/plain' });
      r.third = { name: third.name, size: third.size };
      r.list = ((await conv.fetchMediaList(E2E.session)) as { name: string }[]).map((m) => m.name);
      return r;
    }, MAX);
    expect(out).toEqual({
      missing: { code: 9, message: 'pushData() - missing file' },
      bufferWithoutName: { code: 9, message: 'pushData() - missing file' },
      oversize: { code: 9, message: `pushData() - B - cannot push data : file larger than ${MAX} bytes` },
      unknownId: { code: 0, message: 'cancelPushData() - no such push data' },
      first: { code: 15, message: 'pushData() - push data canceled' },
      second: { code: 15, message: 'pushData() - push data canceled' },
      third: { name: 'third.txt', size: 5 },
      list: ['third.txt'],
    });
  });
});
