import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage } from '../harness/index.js';
import { convUser, join, subscribe, waitDecoding, waitRemoteStream, waitRemoteStreams } from './helpers.js';

const env = useE2E('conversation-sfu-media');

describe('conversation media through the SFU', () => {
  test('two participants publish camera+mic and subscribe to each other: video decodes, audio flows; unpublish and leave remove streams', async () => {
    const a = await convUser(env, 'alice');
    const b = await convUser(env, 'bob');
    expect(await join(a.user, 'room-1')).toEqual({});
    expect(await join(b.user, 'room-1')).toEqual({});
    await waitInPage(a.user, 'contactJoined bob', (id: string) => E2E.of('contactJoined').some((e) => e.id === id), b.id);
    await waitInPage(b.user, 'contactJoined alice', (id: string) => E2E.of('contactJoined').some((e) => e.id === id && e.unique), a.id);

    const pubA = await a.user.page.evaluate(() => CONV.publishCamera());
    const pubB = await b.user.page.evaluate(() => CONV.publishCamera());
    expect(pubA.same && pubB.same).toBe(true);

    const idFromA = await waitRemoteStream(b.user);
    const idFromB = await waitRemoteStream(a.user);
    expect(idFromA).toBe(pubA.streamId);
    expect(idFromB).toBe(pubB.streamId);
    // The publisher sees its own stream, isRemote:false; the other side sees every StreamInfo field.
    await waitInPage(a.user, 'own stream announced', (id: number) => E2E.of('streamListChanged').some((e) => e.streamId === id), pubA.streamId);
    const own = await a.user.page.evaluate((id: number) => E2E.of('streamListChanged').find((e) => e.streamId === id), pubA.streamId);
    expect(own).toMatchObject({ listEventType: 'added', isRemote: false, contactId: a.id });
    const seen = await b.user.page.evaluate((id: number) => E2E.of('streamListChanged').find((e) => e.streamId === id), pubA.streamId);
    expect(seen).toMatchObject({
      listEventType: 'added',
      isRemote: true,
      contactId: a.id,
      unique: true,
      infoType: 'regular',
      hasAudio: true,
      hasVideo: true,
      isAudioMuted: false,
      isVideoMuted: false,
      isScreensharing: false,
    });
    expect(seen?.callId).toMatch(/^[0-9]+$/);

    await subscribe(b.user, idFromA);
    await subscribe(a.user, idFromB);
    await waitDecoding(b.user, 'bob receives alice');
    await waitDecoding(a.user, 'alice receives bob');
    await b.user.page.evaluate((id: number) => CONV.show(id), idFromA);
    await waitInPage(b.user, '<video> of alice has a size', (id: number) => CONV.videoWidth(id) > 0, idFromA);
    const audio = await b.user.page.evaluate(() => CONV.inbound());
    await waitInPage(b.user, 'audio packets rising', async (n: number) => (await CONV.inbound()).audioPackets > n, audio.audioPackets);

    // Unpublish: bob sees removed + streamRemoved + hangup from remote.
    await a.user.page.evaluate(() => CONV.conv.unpublish(CONV.local.camera));
    await waitInPage(
      b.user,
      'streamListChanged removed',
      (id: number) => E2E.of('streamListChanged').some((e) => e.streamId === id && e.listEventType === 'removed'),
      idFromA,
    );
    await waitInPage(b.user, 'streamRemoved', (id: number) => E2E.of('streamRemoved').some((e) => e.streamId === id && e.same), idFromA);
    await waitInPage(b.user, 'hangup', (id: number) => E2E.of('hangup').some((e) => e.payload.streamId === id && e.payload.from === 'remote'), idFromA);
    expect(await a.user.page.evaluate(() => CONV.conv.isPublishedStream(CONV.local.camera))).toBe(false);

    // Leave: alice sees bob's stream removed, streamRemoved, contactLeft.
    await b.user.page.evaluate(() => CONV.conv.leave());
    expect(await b.user.page.evaluate(() => [CONV.conv.isJoined(), E2E.count('left')])).toEqual([false, 1]);
    await waitInPage(
      a.user,
      'bob stream removed',
      (id: number) => E2E.of('streamListChanged').some((e) => e.streamId === id && e.listEventType === 'removed'),
      idFromB,
    );
    await waitInPage(a.user, 'bob streamRemoved', (id: number) => E2E.of('streamRemoved').some((e) => e.streamId === id), idFromB);
    await waitInPage(a.user, 'contactLeft bob', (id: string) => E2E.of('contactLeft').some((e) => e.id === id), b.id);
  });

  test('disableVideo is visible remotely; remote constraints round trip; remote getSettings; remote disable applyRemotely', async () => {
    const a = await convUser(env, 'alice');
    const b = await convUser(env, 'bob');
    await join(a.user, 'room-2');
    await join(b.user, 'room-2');
    const pub = await a.user.page.evaluate(() => CONV.publishCamera());
    const id = await waitRemoteStream(b.user);
    await subscribe(b.user, id);
    await waitDecoding(b.user, 'bob receives alice');

    await a.user.page.evaluate(() => CONV.local.camera.disableVideo());
    await waitInPage(
      b.user,
      'streamListChanged updated isVideoMuted',
      (i: number) => E2E.of('streamListChanged').some((e) => e.streamId === i && e.listEventType === 'updated' && e.isVideoMuted === true),
      id,
    );
    await waitInPage(
      b.user,
      'remoteVideoFlowStatusChanged',
      (i: number) => E2E.of('remote:remoteVideoFlowStatusChanged').some((e) => e.streamId === i && e.payload.enabled === false),
      id,
    );
    await waitInPage(
      b.user,
      'remoteStreamUpdated',
      (i: number) => E2E.of('remoteStreamUpdated').some((e) => e.payload.streamId === i && e.payload.videoMuted === true),
      id,
    );
    expect(await b.user.page.evaluate((i: number) => CONV.remote[i].isVideoEnabled(), id)).toBe(false);
    expect(await a.user.page.evaluate(() => E2E.of('localStreamUpdated').map((e) => e.payload))).toEqual([
      { callId: expect.stringMatching(/^[0-9]+$/), streamId: pub.streamId, audio: true, audioMuted: false, video: true, videoMuted: true, cause: 'userAction' },
    ]);
    await a.user.page.evaluate(() => CONV.local.camera.enableVideo());
    await waitInPage(b.user, 'video enabled again', (i: number) => CONV.remote[i].isVideoEnabled(), id);

    // Remote constraints: the publisher's SDK applies them (no app code) and both sides hear constraintsChanged.
    const applied = await b.user.page.evaluate((i: number) => CONV.remote[i].applyConstraints({ video: { frameRate: 10 } }).then(() => 'ok', CONV.err), id);
    expect(applied).toBe('ok');
    await waitInPage(a.user, 'local constraintsChanged', () => E2E.of('local:constraintsChanged').some((e) => e.payload.video.frameRate === 10));
    await waitInPage(
      b.user,
      'remote constraintsChanged',
      (i: number) => E2E.of('remote:constraintsChanged').some((e) => e.streamId === i && e.payload.video.frameRate === 10),
      id,
    );
    const settings = await b.user.page.evaluate((i: number) => CONV.remote[i].getSettings(), id);
    expect(settings.video.frameRate).toBe(10);
    expect(settings.video.width).toBeGreaterThan(0);
    // Device ids never leave the publisher's page.
    expect(JSON.stringify(settings)).not.toMatch(/deviceId|groupId/);
    const flow = await b.user.page.evaluate((i: number) => CONV.remote[i].getRemoteAudioFlowStatus(), id);
    expect(flow).toEqual({ enabled: true, muted: false });

    // applyRemotely: bob disables alice's audio for everyone.
    await b.user.page.evaluate((i: number) => CONV.remote[i].disableAudio(true), id);
    await waitInPage(a.user, 'publisher audio disabled by the relay', () => CONV.local.camera.isAudioEnabled() === false);
    await waitInPage(
      b.user,
      'remoteAudioFlowStatusChanged',
      (i: number) => E2E.of('remote:remoteAudioFlowStatusChanged').some((e) => e.streamId === i && e.payload.enabled === false),
      id,
    );
    // ...but cannot unmute her again: she did not publish with remoteUnmuteEnabled (Parley extension).
    const unmute = await b.user.page.evaluate((i: number) => CONV.remote[i].enableAudio(true).then(() => 'ok', CONV.err), id);
    expect(JSON.stringify(unmute)).toMatch(/remote unmute/);
    expect(await a.user.page.evaluate(() => CONV.local.camera.isAudioEnabled())).toBe(false);
  });

  test('screen share is a second stream; a late joiner receives and decodes both', async () => {
    const a = await convUser(env, 'alice');
    await join(a.user, 'room-3');
    const cam = await a.user.page.evaluate(() => CONV.publishCamera());
    const screen = await a.user.page.evaluate(() => CONV.publishScreen());
    const late = await convUser(env, 'late');
    await join(late.user, 'room-3');
    const ids = await waitRemoteStreams(late.user, 2);
    expect(new Set(ids)).toEqual(new Set([cam.streamId, screen]));
    const info = await late.user.page.evaluate((i: number) => E2E.of('streamListChanged').find((e) => e.streamId === i), screen);
    expect(info).toMatchObject({ isScreensharing: true, hasVideo: true, hasAudio: false, contactId: a.id });
    await subscribe(late.user, screen);
    await waitDecoding(late.user, 'late joiner receives the screen');
    await subscribe(late.user, cam.streamId);
    await late.user.page.evaluate((i: number) => CONV.show(i), cam.streamId);
    await late.user.page.evaluate((i: number) => CONV.show(i), screen);
    await waitInPage(late.user, 'camera <video> has a size', (i: number) => CONV.videoWidth(i) > 0, cam.streamId);
    await waitInPage(late.user, 'screen <video> has a size', (i: number) => CONV.videoWidth(i) > 0, screen);
    expect(await late.user.page.evaluate((i: number) => CONV.remote[i].isScreensharing(), screen)).toBe(true);
  });

  test('a signalling drop with resume changes nothing: the media keeps flowing, publications and subscriptions stay', async () => {
    const a = await convUser(env, 'alice');
    const b = await convUser(env, 'bob');
    await join(a.user, 'room-4');
    await join(b.user, 'room-4');
    await a.user.page.evaluate(() => CONV.publishCamera());
    const id = await waitRemoteStream(b.user);
    await subscribe(b.user, id);
    await waitDecoding(b.user, 'before the drop');
    await b.user.page.evaluate(() => E2E.session.on('reconnection', () => E2E.record('reconnected')));
    expect(await b.user.page.evaluate(() => Parley.debug.dropConnection())).toBe(true);
    await waitInPage(b.user, 'reconnection', () => E2E.count('reconnected') === 1);
    await waitDecoding(b.user, 'after the resume');
    expect(await b.user.page.evaluate(() => [E2E.count('streamRemoved'), CONV.conv.isJoined()])).toEqual([0, true]);
    await a.user.page.evaluate(() => CONV.conv.sendMessage('still here'));
    await waitInPage(b.user, 'message after resume', () => E2E.of('message').some((m) => m.content === 'still here'));
  });
});
