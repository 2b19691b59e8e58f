import { describe, expect, test } from 'vitest';
import { peerUser } from './peerUser.js';
import { useE2E, waitInPage, type User } from '../harness/index.js';

// PEER is the helper object of peer-helpers.js, injected into each page.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const PEER: any;

const env = useE2E('calls');

function registered(name: string): Promise<{ user: User; id: string }> {
  return peerUser(env, name);
}

/** Bob records every incoming call invitation as `incomingCall` (Session) and `contact:incomingCall` (Contact). */
async function answering(bob: User, callerId: string): Promise<void> {
  await bob.page.evaluate((from) => {
    E2E.session.on('incomingCall', (inv: { getSender(): { getId(): string }; getCallType(): string; getId(): string }) => {
      PEER.trackInvitation(inv, 'inv');
      E2E.record('incomingCall', {
        from: inv.getSender().getId(),
        unique: E2E.isUnique(inv.getSender()),
        callType: inv.getCallType(),
        id: inv.getId(),
        status: PEER.status((inv as unknown as { getStatus(): symbol }).getStatus()),
      });
    });
    E2E.session.getOrCreateContact(from).on('incomingCall', () => E2E.record('contact:incomingCall'));
  }, callerId);
}

const count = (user: User, type: string) => user.page.evaluate((t) => E2E.count(t), type);

describe('1-1 calls, peer to peer', () => {
  test('A calls B, B accepts: video both ways decodes; B hangs up and both calls end', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await answering(b.user, a.id);

    const callId = await a.user.page.evaluate((to) => PEER.trackCall(E2E.session.getOrCreateContact(to).call(), 'call').getId(), b.id);
    expect(callId).toMatch(/^[0-9]+$/);
    expect(await a.user.page.evaluate((id) => PEER.status(E2E.session.getCall(Number(id)).getStatus()), callId)).toBe('CALL_STATUS_WAITING_FOR_CALLEE');

    await waitInPage(b.user, 'incomingCall', () => E2E.count('incomingCall') > 0);
    const incoming = await b.user.page.evaluate(() => ({ session: E2E.of('incomingCall')[0], contact: E2E.count('contact:incomingCall') }));
    expect(incoming.session).toMatchObject({ from: a.id, unique: true, callType: 'media', id: callId, status: 'INVITATION_STATUS_STANDBY' });
    expect(incoming.contact).toBe(1);

    const bCallId = await b.user.page.evaluate(async () => PEER.trackCall(await E2E.keep['inv'].accept(), 'call').getId());
    expect(bCallId).toBe(callId);

    await waitInPage(a.user, 'accepted', () => E2E.count('call:accepted') > 0);
    for (const u of [a.user, b.user]) {
      await waitInPage(u, 'localStreamAvailable', () => E2E.count('call:localStreamAvailable') > 0);
      await waitInPage(u, 'streamAdded', () => E2E.count('call:streamAdded') > 0, undefined, 20_000);
      await waitInPage(u, 'remote video decoding', () => PEER.decodes('call', 3), undefined, 20_000);
    }
    const added = await a.user.page.evaluate(() => E2E.of('call:streamAdded')[0]);
    expect(added).toMatchObject({ isRemote: true, video: true, audio: true, contact: b.id });
    const local = await b.user.page.evaluate(() => E2E.of('call:localStreamAvailable')[0]);
    expect(local).toMatchObject({ isRemote: false, video: true, audio: true });
    expect(await b.user.page.evaluate(() => PEER.status(E2E.keep['call'].getStatus()))).toBe('CALL_STATUS_ONGOING');
    expect(await b.user.page.evaluate(() => E2E.of('inv:statusChange').map((e) => e.status))).toEqual(['INVITATION_STATUS_ACCEPTED']);

    await b.user.page.evaluate((id) => E2E.session.getCall(id).hangUp(), callId);
    await waitInPage(a.user, 'remote hangup', () => E2E.count('call:hangup') > 0);
    const aEnd = await a.user.page.evaluate(() => ({
      types: E2E.events.map((e) => e.type).filter((t) => t === 'call:streamRemoved' || t === 'call:hangup'),
      hangup: E2E.of('call:hangup')[0],
    }));
    expect(aEnd.types).toEqual(['call:streamRemoved', 'call:hangup']);
    expect(aEnd.hangup).toMatchObject({ from: 'remote', reason: 'Hangup_From_Callee', status: 'CALL_STATUS_ENDED', received: 0 });
    const bEnd = await b.user.page.evaluate(() => E2E.of('call:hangup')[0]);
    expect(bEnd).toMatchObject({ from: 'local', reason: 'Hangup_From_Callee', status: 'CALL_STATUS_ENDED' });
    for (const u of [a.user, b.user]) {
      expect(await u.page.evaluate((id) => E2E.session.getCall(id) === undefined && Object.keys(E2E.session.getCalls()).length === 0, callId)).toBe(true);
    }
    // The SDK released the camera it acquired for the call.
    expect(await a.user.page.evaluate(() => E2E.keep['call'].getPublishedStreams()[0].data === null)).toBe(true);
  });

  test('the caller hangs up an established call: the callee sees a remote hangup', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await answering(b.user, a.id);
    await a.user.page.evaluate((to) => PEER.trackCall(E2E.session.getOrCreateContact(to).call(null, { mediaTypeForOutgoingCall: 'AUDIO' }), 'call'), b.id);
    await waitInPage(b.user, 'incomingCall', () => E2E.count('incomingCall') > 0);
    expect(await b.user.page.evaluate(() => E2E.keep['inv'].getCallType())).toBe('audio');
    await b.user.page.evaluate(async () => PEER.trackCall(await E2E.keep['inv'].accept(), 'call'));
    await waitInPage(b.user, 'streamAdded', () => E2E.count('call:streamAdded') > 0, undefined, 20_000);
    await waitInPage(a.user, 'streamAdded', () => E2E.count('call:streamAdded') > 0, undefined, 20_000);
    expect(await a.user.page.evaluate(() => E2E.of('call:streamAdded')[0])).toMatchObject({ audio: true, video: false });

    await a.user.page.evaluate(() => E2E.keep['call'].hangUp());
    await waitInPage(b.user, 'remote hangup', () => E2E.count('call:hangup') > 0);
    expect(await b.user.page.evaluate(() => E2E.of('call:hangup')[0])).toMatchObject({ from: 'remote', reason: 'Hangup_From_Caller' });
    expect(await a.user.page.evaluate(() => E2E.of('call:hangup')[0])).toMatchObject({ from: 'local', reason: 'Hangup_From_Caller' });
  });

  test('a declined call: the caller gets hangup then declined; answering again is refused with 10', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await answering(b.user, a.id);
    await a.user.page.evaluate((to) => PEER.trackCall(E2E.session.getOrCreateContact(to).call(), 'call'), b.id);
    await waitInPage(b.user, 'incomingCall', () => E2E.count('incomingCall') > 0);
    await b.user.page.evaluate(() => E2E.keep['inv'].decline());
    await waitInPage(a.user, 'declined', () => E2E.count('call:declined') > 0);
    const types = await a.user.page.evaluate(() => E2E.events.map((e) => e.type).filter((t) => t === 'call:hangup' || t === 'call:declined'));
    expect(types).toEqual(['call:hangup', 'call:declined']);
    expect(await a.user.page.evaluate(() => E2E.of('call:declined')[0])).toMatchObject({ reason: 'User_Refused_Call' });
    expect(await a.user.page.evaluate(() => E2E.of('call:hangup')[0])).toMatchObject({
      from: 'remote',
      reason: 'User_Refused_Call',
      status: 'CALL_STATUS_ENDED',
    });
    const again = await b.user.page.evaluate(() =>
      E2E.keep['inv'].accept().then(
        () => ({ resolved: 'yes' }),
        (e: unknown) => E2E.error(e),
      ),
    );
    expect(again).toEqual({ code: 10, message: 'accept() - Cannot join this call, invitation state invalid' });
    expect(await b.user.page.evaluate(() => E2E.of('inv:statusChange').map((e) => e.status))).toEqual(['INVITATION_STATUS_DECLINED']);
  });

  test('the caller hangs up before an answer: the invitation expires, accepting it is refused with 10', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await answering(b.user, a.id);
    await a.user.page.evaluate((to) => PEER.trackCall(E2E.session.getOrCreateContact(to).call(), 'call'), b.id);
    await waitInPage(b.user, 'incomingCall', () => E2E.count('incomingCall') > 0);
    await a.user.page.evaluate(() => E2E.keep['call'].hangUp());
    await waitInPage(b.user, 'expired', () => E2E.count('inv:expired') > 0);
    expect(await b.user.page.evaluate(() => E2E.of('inv:statusChange').map((e) => e.status))).toEqual(['INVITATION_STATUS_EXPIRED']);
    const late = await b.user.page.evaluate(() =>
      E2E.keep['inv'].accept().then(
        () => ({ resolved: 'yes' }),
        (e: unknown) => E2E.error(e),
      ),
    );
    expect(late).toEqual({ code: 10, message: 'accept() - Cannot join this call, invitation state invalid' });
    expect(await a.user.page.evaluate(() => E2E.of('call:hangup')[0])).toMatchObject({ from: 'local', reason: 'Hangup_From_Caller' });
    expect(await b.user.page.evaluate(() => Object.keys(E2E.session.getCalls()).length)).toBe(0);
  });

  test('call statistics: with monitoring on, statsUpdate carries both directions and MOS in range; getStats() is the last report', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await answering(b.user, a.id);
    for (const u of [a.user, b.user]) await u.page.evaluate(() => E2E.ua.enableCallStatsMonitoring(true, { interval: 1000 }));
    // Before the connection exists nothing was measured.
    const before = await a.user.page.evaluate((to) => PEER.trackStats(PEER.trackCall(E2E.session.getOrCreateContact(to).call(), 'call')).getStats(), b.id);
    expect(before).toBeNull();
    await waitInPage(b.user, 'incomingCall', () => E2E.count('incomingCall') > 0);
    await b.user.page.evaluate(async () => PEER.trackStats(PEER.trackCall(await E2E.keep['inv'].accept(), 'call')));

    for (const u of [a.user, b.user]) {
      await waitInPage(u, 'remote video decoding', () => PEER.decodes('call', 3), undefined, 20_000);
      // A report in which every direction and kind has figures (the first ones may still lack some).
      await waitInPage(
        u,
        'full statsUpdate',
        () =>
          E2E.of('call:statsUpdate').some((e) => {
            const q = e.stats.quality;
            return [q.mosS, q.mosV, q.mosSS, q.mosSV].every((m) => typeof m === 'number') && e.stats.videoReceived?.framesDecoded > 0;
          }),
        undefined,
        30_000,
      );
      const { full, last, current } = await u.page.evaluate(() => {
        const all = E2E.of('call:statsUpdate').map((e) => e.stats);
        return {
          full: all.find((s) => [s.quality.mosS, s.quality.mosV, s.quality.mosSS, s.quality.mosSV].every((m) => typeof m === 'number')),
          last: E2E.keep['lastStats'],
          current: E2E.keep['call'].getStats(),
        };
      });
      // getStats() is the snapshot of the last statsUpdate (a newer report may have come in between the two reads).
      expect(current.quality).toBeDefined();
      expect(Object.keys(current).sort()).toEqual(Object.keys(last).sort());
      for (const m of ['mosS', 'mosV', 'mosSS', 'mosSV', 'mosAV', 'mosSAV']) {
        expect(full.quality[m]).toBeGreaterThanOrEqual(1);
        expect(full.quality[m]).toBeLessThanOrEqual(4.5);
      }
      expect(full.audioSent).toMatchObject({ kind: 'audio', mediaType: 'audio', type: 'outbound-rtp' });
      expect(full.audioSent.bytesSent).toBeGreaterThan(0);
      expect(full.videoSent).toMatchObject({ kind: 'video', type: 'outbound-rtp' });
      expect(full.videoSent.framesEncoded).toBeGreaterThan(0);
      expect(full.videoSent.width).toBeGreaterThan(0);
      expect(full.audioReceived).toMatchObject({ kind: 'audio', type: 'inbound-rtp' });
      expect(full.audioReceived.packetsReceived).toBeGreaterThan(0);
      expect(full.videoReceived).toMatchObject({ kind: 'video', type: 'inbound-rtp' });
      expect(full.videoReceived.bitsReceivedPerSecond).toBeGreaterThan(0);
      expect(full.videoReceived.packetLossRatio).toBeGreaterThanOrEqual(0);
      expect(full.videoReceived.packetLossRatio).toBeLessThanOrEqual(1);
      expect(typeof full.videoCodec).toBe('string');
    }
    await a.user.page.evaluate(() => E2E.keep['call'].hangUp());
    await waitInPage(b.user, 'remote hangup', () => E2E.count('call:hangup') > 0);
    // The last report stays readable after the end.
    expect(await b.user.page.evaluate(() => E2E.keep['call'].getStats()?.quality !== undefined)).toBe(true);
  });

  test("the caller's page vanishes while ringing: the invitation expires (its expirationTime), the callee carries on", async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await answering(b.user, a.id);
    await a.user.page.evaluate((to) => PEER.trackCall(E2E.session.getOrCreateContact(to).call(null, { expirationTime: 3 }), 'call'), b.id);
    await waitInPage(b.user, 'incomingCall', () => E2E.count('incomingCall') > 0);
    // No hangUp: the page goes away with the call ringing.
    await a.user.page.close();
    await waitInPage(b.user, 'expired', () => E2E.count('inv:expired') > 0, undefined, 30_000);
    expect(await b.user.page.evaluate(() => E2E.of('inv:statusChange').map((e) => e.status))).toEqual(['INVITATION_STATUS_EXPIRED']);
    const late = await b.user.page.evaluate(() =>
      E2E.keep['inv'].accept().then(
        () => ({ resolved: 'yes' }),
        (e: unknown) => E2E.error(e),
      ),
    );
    expect(late).toEqual({ code: 10, message: 'accept() - Cannot join this call, invitation state invalid' });
    // No longer busy: a new call from someone else rings.
    const c = await registered('carol');
    await c.user.page.evaluate((to) => PEER.trackCall(E2E.session.getOrCreateContact(to).call(), 'call'), b.id);
    await waitInPage(b.user, 'second incomingCall', () => E2E.count('incomingCall') > 1);
    expect(await b.user.page.evaluate(() => E2E.of('incomingCall')[1]?.from)).toBe(c.id);
  });

  test('bad input: an offline contact ends the call User_Not_Found; calling yourself is refused; both sessions carry on', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await a.user.page.evaluate(() => PEER.trackCall(E2E.session.getOrCreateContact('nobody-here').call(null, { mediaTypeForOutgoingCall: 'NONE' }), 'ghost'));
    await waitInPage(a.user, 'hangup', () => E2E.count('call:hangup') > 0);
    expect(await a.user.page.evaluate(() => E2E.of('call:hangup')[0])).toMatchObject({
      tag: 'ghost',
      from: 'remote',
      reason: 'User_Not_Found',
      status: 'CALL_STATUS_ENDED',
    });
    expect(await a.user.page.evaluate(() => E2E.of('call:error')[0])).toMatchObject({ errorCode: 'User_Not_Found' });

    const self = await a.user.page.evaluate(() => E2E.session.getOrCreateContact(E2E.session.getId()).call() === null);
    expect(self).toBe(true);
    expect(a.user.console.some((m) => m.type === 'error' && m.text.includes('call() - cannot call yourself'))).toBe(true);

    // A busy callee: a second call while one is ringing is declined User_Busy.
    await answering(b.user, a.id);
    const c = await registered('carol');
    await a.user.page.evaluate((to) => PEER.trackCall(E2E.session.getOrCreateContact(to).call(null, { mediaTypeForOutgoingCall: 'NONE' }), 'first'), b.id);
    await waitInPage(b.user, 'incomingCall', () => E2E.count('incomingCall') > 0);
    await c.user.page.evaluate((to) => PEER.trackCall(E2E.session.getOrCreateContact(to).call(null, { mediaTypeForOutgoingCall: 'NONE' }), 'second'), b.id);
    await waitInPage(c.user, 'declined busy', () => E2E.count('call:declined') > 0);
    expect(await c.user.page.evaluate(() => E2E.of('call:declined')[0])).toMatchObject({ reason: 'User_Busy' });
    expect(await count(b.user, 'incomingCall')).toBe(1);

    // Everybody still works: a contact message goes through.
    await a.user.page.evaluate((to) => E2E.session.getOrCreateContact(to).sendMessage('still here'), b.id);
    await waitInPage(b.user, 'contactMessage', () => E2E.count('contactMessage') > 0);
  });

  test('screen share call: auto-accepted on the callee side as incomingScreenSharingCall, the screen decodes there', async () => {
    const a = await registered('alice');
    const b = await registered('bob');
    await b.user.page.evaluate(() => {
      E2E.session.on('incomingScreenSharingCall', (call: { getContact(): { getId(): string } }) => {
        E2E.record('incomingScreenSharingCall', { from: call.getContact().getId() });
        PEER.trackCall(call, 'call');
      });
    });
    await a.user.page.evaluate((to) => PEER.trackCall(E2E.session.getOrCreateContact(to).shareScreen({ captureSourceType: ['screen'] }), 'call'), b.id);
    await waitInPage(b.user, 'incomingScreenSharingCall', () => E2E.count('incomingScreenSharingCall') > 0);
    expect(await b.user.page.evaluate(() => E2E.of('incomingScreenSharingCall')[0])).toMatchObject({ from: a.id });
    await waitInPage(a.user, 'accepted', () => E2E.count('call:accepted') > 0);
    expect(await a.user.page.evaluate(() => E2E.of('call:localStreamAvailable')[0])).toMatchObject({ video: true });
    expect(await a.user.page.evaluate(() => E2E.keep['call'].getPublishedStreams()[0].isScreensharing())).toBe(true);
    await waitInPage(b.user, 'screen decoding', () => PEER.decodes('call', 2), undefined, 20_000);
    expect(await b.user.page.evaluate(() => E2E.keep['call:remote'].isScreensharing())).toBe(true);
    // The callee sent nothing back.
    expect(await b.user.page.evaluate(() => E2E.keep['call'].getPublishedStreams().length)).toBe(0);
    await a.user.page.evaluate(() => E2E.keep['call'].hangUp());
    await waitInPage(b.user, 'hangup', () => E2E.count('call:hangup') > 0);
    expect(await b.user.page.evaluate(() => E2E.of('call:hangup')[0])).toMatchObject({ from: 'remote', reason: 'Hangup_From_Caller' });
  });
});
