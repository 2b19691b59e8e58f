import { describe, expect, test } from 'vitest';
import { peerUser } from './peerUser.js';
import { useE2E, waitInPage, type User } from '../harness/index.js';

// PEER is the helper object of peer-helpers.js, injected into each page.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const PEER: any;

const env = useE2E('files');
const MB = 1024 * 1024;

function registered(name: string): Promise<{ user: User; id: string }> {
  return peerUser(env, name);
}

/** Bob keeps every file invitation as E2E.keep.inv and records its events. */
async function receiving(bob: User, senderId: string): Promise<void> {
  await bob.page.evaluate((from) => {
    E2E.session.on('fileTransferInvitation', (inv: { getSender(): { getId(): string }; getFileInfo(): object; getId(): string }) => {
      PEER.trackInvitation(inv, 'inv');
      E2E.record('fileTransferInvitation', { from: inv.getSender().getId(), unique: E2E.isUnique(inv.getSender()), info: inv.getFileInfo(), id: inv.getId() });
      (inv as unknown as { on(n: string, f: (p: { percentage: number; lastPacket: boolean; fileSize: number }) => void): void }).on('progress', (p) => {
        E2E.record('progress', { percentage: p.percentage, lastPacket: p.lastPacket, fileSize: p.fileSize });
        // Sampled while the connection is still open: how the bytes came.
        if (p.lastPacket) void PEER.dataChannelBytesReceived().then((bytes: number) => E2E.record('dcBytes', { bytes }));
      });
      (inv as unknown as { on(n: string, f: (e: unknown) => void): void }).on('error', () => E2E.record('inv:error'));
    });
    E2E.session.getOrCreateContact(from).on('fileTransferInvitation', () => E2E.record('contact:fileTransferInvitation'));
  }, senderId);
}

/** Alice offers `bytes` random bytes to `to`; keeps the invitation as E2E.keep.sent and the file hash. */
async function offer(alice: User, to: string, bytes: number, cancelAt?: number): Promise<{ id: string; hash: string }> {
  return alice.page.evaluate(
    async (a) => {
      const blob = PEER.randomBlob(a.bytes, 'application/octet-stream');
      const hash = await PEER.sha256(blob);
      const contact = E2E.session.getOrCreateContact(a.to);
      contact.on('fileTransferProgress', (e: { fileInfo: object; transferInformation: { percentage: number } }) => {
        E2E.record('fileTransferProgress', { fileInfo: e.fileInfo, percentage: e.transferInformation.percentage });
        if (a.cancelAt !== undefined && e.transferInformation.percentage >= a.cancelAt && E2E.keep['sent'].getStatus() === apiRTC.INVITATION_STATUS_ACCEPTED) {
          E2E.keep['sent'].cancel();
        }
      });
      contact.on('fileSentSuccessfully', (e: { fileInfo: object; transferInformation: { percentage: number; lastPacket: boolean } }) =>
        E2E.record('fileSentSuccessfully', {
          fileInfo: e.fileInfo,
          percentage: e.transferInformation.percentage,
          lastPacket: e.transferInformation.lastPacket,
        }),
      );
      const sent = contact.sendFile({ name: 'big.bin', type: 'application/octet-stream' }, blob);
      E2E.keep['sent'] = sent;
      sent.on('statusChange', (e: { status: symbol; id: string }) => E2E.record('sent:statusChange', { status: PEER.status(e.status), id: e.id }));
      return { id: sent.getId(), hash };
    },
    { to, bytes, cancelAt },
  );
}

const statuses = (user: User, type: string) => user.page.evaluate((t) => E2E.of(t).map((e) => e.status), type);

describe('peer-to-peer file transfer', () => {
  test('a 20 MB file arrives byte-identical over the data channel, with progress on both sides', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await receiving(b.user, a.id);
    const { id, hash } = await offer(a.user, b.id, 20 * MB);

    await waitInPage(b.user, 'fileTransferInvitation', () => E2E.count('fileTransferInvitation') > 0);
    expect(await b.user.page.evaluate(() => E2E.of('fileTransferInvitation')[0])).toMatchObject({
      from: a.id,
      unique: true,
      id,
      info: { name: 'big.bin', type: 'application/octet-stream' },
    });
    expect(await b.user.page.evaluate(() => E2E.count('contact:fileTransferInvitation'))).toBe(1);

    const received = await b.user.page.evaluate(async () => {
      const got = await E2E.keep['inv'].accept();
      return {
        isBlob: got.file instanceof Blob,
        size: got.file.size,
        name: got.name,
        type: got.type,
        blobType: got.file.type,
        hash: await PEER.sha256(got.file),
      };
    });
    expect(received).toEqual({ isBlob: true, size: 20 * MB, name: 'big.bin', type: 'application/octet-stream', blobType: 'application/octet-stream', hash });

    const progress = await b.user.page.evaluate(() => E2E.of('progress'));
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toMatchObject({ percentage: 100, lastPacket: true, fileSize: 20 * MB });
    expect(progress.every((p, i) => i === 0 || p.percentage >= progress[i - 1]!.percentage)).toBe(true);
    await waitInPage(b.user, 'data channel stats', () => E2E.count('dcBytes') > 0);
    // The file went over the direct connection: its data channel carried all of it.
    expect((await b.user.page.evaluate(() => E2E.of('dcBytes')[0]!.bytes)) as number).toBeGreaterThanOrEqual(20 * MB);
    expect(await statuses(b.user, 'inv:statusChange')).toEqual(['INVITATION_STATUS_ACCEPTED', 'INVITATION_STATUS_ENDED']);

    await waitInPage(a.user, 'fileSentSuccessfully', () => E2E.count('fileSentSuccessfully') > 0);
    expect(await a.user.page.evaluate(() => E2E.of('fileSentSuccessfully')[0])).toMatchObject({
      fileInfo: { name: 'big.bin', type: 'application/octet-stream' },
      percentage: 100,
      lastPacket: true,
    });
    expect(await a.user.page.evaluate(() => E2E.count('fileTransferProgress'))).toBeGreaterThan(10);
    await waitInPage(a.user, 'sender ENDED', () => E2E.of('sent:statusChange').some((e) => e.status === 'INVITATION_STATUS_ENDED'));
    expect(await statuses(a.user, 'sent:statusChange')).toEqual(['INVITATION_STATUS_ACCEPTED', 'INVITATION_STATUS_ENDED']);
  });

  test('a declined transfer: DECLINED on both sides, nothing sent', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await receiving(b.user, a.id);
    await offer(a.user, b.id, 1 * MB);
    await waitInPage(b.user, 'fileTransferInvitation', () => E2E.count('fileTransferInvitation') > 0);
    await b.user.page.evaluate(() => E2E.keep['inv'].decline());
    await waitInPage(a.user, 'DECLINED', () => E2E.count('sent:statusChange') > 0);
    expect(await statuses(a.user, 'sent:statusChange')).toEqual(['INVITATION_STATUS_DECLINED']);
    expect(await statuses(b.user, 'inv:statusChange')).toEqual(['INVITATION_STATUS_DECLINED']);
    expect(await a.user.page.evaluate(() => E2E.count('fileTransferProgress'))).toBe(0);
    const late = await b.user.page.evaluate(() =>
      E2E.keep['inv'].accept().then(
        () => ({ resolved: 'yes' }),
        (e: unknown) => E2E.error(e),
      ),
    );
    expect(late).toEqual({ code: 10, message: 'accept() - Cannot join this file transfer session, invitation state invalid' });
  });

  test('a transfer cancelled mid-way by the sender: CANCELLED on both sides, accept() rejects 0', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await receiving(b.user, a.id);
    await offer(a.user, b.id, 40 * MB, 10);
    await waitInPage(b.user, 'fileTransferInvitation', () => E2E.count('fileTransferInvitation') > 0);
    const outcome = await b.user.page.evaluate(() =>
      E2E.keep['inv'].accept().then(
        () => ({ resolved: 'yes' }),
        (e: unknown) => E2E.error(e),
      ),
    );
    expect(outcome).toEqual({ code: 0, message: 'accept() - Could not read file received' });
    expect(await statuses(b.user, 'inv:statusChange')).toEqual(['INVITATION_STATUS_ACCEPTED', 'INVITATION_STATUS_CANCELLED']);
    expect(await b.user.page.evaluate(() => E2E.count('inv:error'))).toBe(1);
    const last = await b.user.page.evaluate(() => E2E.of('progress').at(-1)?.percentage ?? 0);
    expect(last).toBeLessThan(100);
    expect(await statuses(a.user, 'sent:statusChange')).toEqual(['INVITATION_STATUS_ACCEPTED', 'INVITATION_STATUS_CANCELLED']);
    expect(await a.user.page.evaluate(() => E2E.count('fileSentSuccessfully'))).toBe(0);
  });

  test('bad input: no file, yourself, an offline contact; the session carries on', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    const refused = await a.user.page.evaluate(() => ({
      noData: E2E.session.getOrCreateContact('someone').sendFile({ name: 'x', type: 'text/plain' }, undefined) === null,
      self: E2E.session.getOrCreateContact(E2E.session.getId()).sendFile({ name: 'x', type: 'text/plain' }, 'hi') === null,
    }));
    expect(refused).toEqual({ noData: true, self: true });
    await a.user.page.evaluate(() => {
      const contact = E2E.session.getOrCreateContact('nobody-here');
      contact.on('fileTransferError', (e: { invitationId: string }) => E2E.record('fileTransferError', { invitationId: e.invitationId }));
      const sent = contact.sendFile({ name: 'x.txt', type: 'text/plain' }, 'hello');
      E2E.keep['ghost'] = sent;
    });
    await waitInPage(a.user, 'fileTransferError', () => E2E.count('fileTransferError') > 0);
    expect(await a.user.page.evaluate(() => E2E.of('fileTransferError')[0]!.invitationId === E2E.keep['ghost'].getId())).toBe(true);
    await a.user.page.evaluate((to) => E2E.session.getOrCreateContact(to).sendMessage('still here'), b.id);
    await waitInPage(b.user, 'contactMessage', () => E2E.count('contactMessage') > 0);
  });
});

describe('data channels', () => {
  test('open, send text and bytes, receive-only side refused, close ends both', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await b.user.page.evaluate(() => {
      E2E.session.on('dataChannelInvitation', async (inv: { accept(): Promise<unknown> }) => {
        const channel = (await inv.accept()) as { on(n: string, f: (p?: unknown) => void): unknown };
        E2E.keep['dc'] = channel;
        channel.on('opened', () => E2E.record('dc:opened'));
        channel.on('ended', (e) => E2E.record('dc:ended', e as object));
        channel.on('dataReceived', (e) => {
          const { uuid, data } = e as { uuid: string; data: unknown };
          if (typeof data === 'string') E2E.record('dc:data', { uuid, text: data });
          else void PEER.sha256(data).then((hash: string) => E2E.record('dc:data', { uuid, hash, isBuffer: data instanceof ArrayBuffer }));
        });
      });
    });
    await a.user.page.evaluate((to) => {
      const channel = E2E.session.getOrCreateContact(to).startDataChannel();
      E2E.keep['dc'] = channel;
      channel.on('accepted', () => E2E.record('dc:accepted'));
      channel.on('opened', () => E2E.record('dc:opened'));
      channel.on('ended', (e: object) => E2E.record('dc:ended', e));
      channel.on('transferComplete', (e: { percentage: number }) => E2E.record('dc:complete', { percentage: e.percentage }));
    }, b.id);
    for (const u of [a.user, b.user]) await waitInPage(u, 'opened', () => E2E.count('dc:opened') > 0);
    expect(await a.user.page.evaluate(() => E2E.count('dc:accepted'))).toBe(1);

    const textUuid = await a.user.page.evaluate(() => E2E.keep['dc'].sendData('hello over the channel'));
    const bytes = await a.user.page.evaluate(async () => {
      const buf = await PEER.randomBlob(300 * 1024).arrayBuffer();
      const uuid = await E2E.keep['dc'].sendData(buf);
      return { uuid, hash: await PEER.sha256(buf) };
    });
    await waitInPage(b.user, 'both payloads', () => E2E.count('dc:data') >= 2);
    const got = await b.user.page.evaluate(() => E2E.of('dc:data'));
    expect(got[0]).toMatchObject({ uuid: textUuid, text: 'hello over the channel' });
    expect(got[1]).toMatchObject({ uuid: bytes.uuid, hash: bytes.hash, isBuffer: true });
    expect(await a.user.page.evaluate(() => E2E.of('dc:complete').map((e) => e.percentage))).toEqual([100, 100]);

    const receiveOnly = await b.user.page.evaluate(() =>
      E2E.keep['dc'].sendData('nope').then(
        () => ({ resolved: 'yes' }),
        (e: unknown) => E2E.error(e),
      ),
    );
    expect(receiveOnly).toEqual({ code: 0, message: 'Cannot send data as datachannel session is receiving only' });

    await a.user.page.evaluate(() => E2E.keep['dc'].close());
    await waitInPage(b.user, 'ended', () => E2E.count('dc:ended') > 0);
    expect(await b.user.page.evaluate(() => E2E.of('dc:ended')[0])).toMatchObject({ from: 'remote' });
    expect(await a.user.page.evaluate(() => E2E.of('dc:ended')[0])).toMatchObject({ from: 'local' });
    const afterClose = await a.user.page.evaluate(() =>
      E2E.keep['dc'].sendData('late').then(
        () => ({ resolved: 'yes' }),
        (e: unknown) => E2E.error(e),
      ),
    );
    expect(afterClose).toEqual({ code: 0, message: 'Cannot send data as datachannel session is not ongoing' });
    expect(await a.user.page.evaluate(() => PEER.status(E2E.keep['dc'].getStatus()))).toBe('DATACHANNEL_STATUS_ENDED');
  });
});
