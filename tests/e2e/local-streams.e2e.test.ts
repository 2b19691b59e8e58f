import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage, type User } from './harness/index.js';

const env = useE2E('local-streams');

/**
 * A page with a UserAgent (not registered: local media needs no session). `E2E.keep.stream` is
 * the stream created with `createStream(options)` and its events are recorded as `stream:<name>`.
 */
async function withStream(name: string, options?: Record<string, unknown>): Promise<User> {
  const user = await env.user(name);
  await user.page.evaluate(async (opts) => {
    E2E.ua = new apiRTC.UserAgent({ uri: 'apiKey:myDemoApiKey' });
    const stream = await (opts === undefined ? E2E.ua.createStream() : E2E.ua.createStream(opts));
    E2E.keep.stream = stream;
    for (const event of ['trackStopped', 'release', 'flowStatusChanged', 'audioFlowStatusChanged', 'videoFlowStatusChanged', 'constraintsChanged', 'stopped']) {
      stream.on(event, (payload: unknown) => E2E.record(`stream:${event}`, { payload: JSON.parse(JSON.stringify(payload ?? null)) }));
    }
  }, options);
  return user;
}

describe('local streams from the fake camera and microphone', () => {
  test('createStream() has audio and video; addInDiv plays it in a <video> with the given id; removeFromDiv removes it', async () => {
    const user = await withStream('camera');
    const info = await user.page.evaluate(() => {
      const s = E2E.keep.stream;
      return {
        hasAudio: s.hasAudio(),
        hasVideo: s.hasVideo(),
        type: s.getType(),
        isRemote: s.isRemote,
        idMatches: s.getId() === String(s.streamId),
        streamIdType: typeof s.streamId,
        hasData: s.hasData(),
        isMediaStream: s.getData() instanceof MediaStream,
        screen: s.isScreensharing(),
        audioEnabled: s.isAudioEnabled(),
        videoEnabled: s.isVideoEnabled(),
        foundById: apiRTC.Stream.getStream(s.getId()) === s,
      };
    });
    expect(info).toEqual({
      hasAudio: true,
      hasVideo: true,
      type: 'video',
      isRemote: false,
      idMatches: true,
      streamIdType: 'number',
      hasData: true,
      isMediaStream: true,
      screen: false,
      audioEnabled: true,
      videoEnabled: true,
      foundById: true,
    });

    await user.page.evaluate(() => E2E.keep.stream.addInDiv('media', 'local-media', { width: '320px', height: '240px' }, true));
    await waitInPage(user, 'the <video> playing frames', () => {
      const el = document.getElementById('local-media') as HTMLVideoElement | null;
      return el !== null && el.videoWidth > 0 && !el.paused;
    });
    const element = await user.page.evaluate(() => {
      const el = document.getElementById('local-media') as HTMLVideoElement;
      return {
        tag: el.tagName,
        parent: el.parentElement?.id,
        muted: el.muted,
        autoplay: el.autoplay,
        width: el.style.width,
        srcIsStream: el.srcObject === E2E.keep.stream.getData(),
      };
    });
    expect(element).toEqual({ tag: 'VIDEO', parent: 'media', muted: true, autoplay: true, width: '320px', srcIsStream: true });

    await user.page.evaluate(() => E2E.keep.stream.removeFromDiv('media', 'local-media'));
    expect(await user.page.evaluate(() => document.getElementById('local-media'))).toBeNull();
    // Removing what is not there is silent.
    await user.page.evaluate(() => E2E.keep.stream.removeFromDiv('media', 'local-media'));
    expect(user.errors().filter((e) => !e.includes('No such event'))).toEqual([]);
  });

  test('createStream({videoInputId: false}) is audio only and addInDiv makes an <audio> element', async () => {
    const user = await withStream('microphone', { videoInputId: false });
    const info = await user.page.evaluate(() => {
      const s = E2E.keep.stream;
      s.addInDiv('media', 'local-audio', {}, true);
      const el = document.getElementById('local-audio');
      return {
        hasAudio: s.hasAudio(),
        hasVideo: s.hasVideo(),
        type: s.getType(),
        videoTracks: s.getData().getVideoTracks().length,
        tag: el?.tagName,
      };
    });
    expect(info).toEqual({ hasAudio: true, hasVideo: false, type: 'audio', videoTracks: 0, tag: 'AUDIO' });
  });

  test('createStream constraints {video: {width: 320, height: 240}} are honoured', async () => {
    const user = await withStream('small', { constraints: { audio: true, video: { width: 320, height: 240 } } });
    const settings = await user.page.evaluate(() => E2E.keep.stream.getSettings());
    expect(settings.video).toMatchObject({ width: 320, height: 240 });
    expect(settings.audio).toBeTypeOf('object');
  });

  test('applyConstraints({video: {frameRate: 10}}) emits constraintsChanged and getSettings reflects it; getCapabilities has a width range', async () => {
    const user = await withStream('constrained');
    const before = await user.page.evaluate(() => E2E.keep.stream.getSettings());
    expect(before.video.frameRate).not.toBe(10);

    await user.page.evaluate(() => E2E.keep.stream.applyConstraints({ video: { frameRate: 10 } }));
    await waitInPage(user, 'constraintsChanged', () => E2E.count('stream:constraintsChanged') > 0);
    const after = await user.page.evaluate(async () => ({
      settings: await E2E.keep.stream.getSettings(),
      constraints: await E2E.keep.stream.getConstraints(),
      event: E2E.of('stream:constraintsChanged')[0]?.payload,
      capabilities: await E2E.keep.stream.getCapabilities(),
    }));
    expect(after.settings.video.frameRate).toBe(10);
    expect(after.event).toMatchObject({ video: { frameRate: 10 } });
    expect(after.constraints.video).toMatchObject({ frameRate: 10 });
    expect(after.capabilities.video.width).toMatchObject({ min: expect.any(Number), max: expect.any(Number) });
    expect(after.capabilities.video.width.max).toBeGreaterThanOrEqual(after.capabilities.video.width.min);
    expect(after.capabilities.audio).toBeTypeOf('object');
  });

  test('disable/enable audio and video change isAudioEnabled/isVideoEnabled, the tracks and emit flow status events', async () => {
    const user = await withStream('toggles');
    const states = await user.page.evaluate(async () => {
      const s = E2E.keep.stream;
      const snapshot = () => ({
        audio: s.isAudioEnabled(),
        video: s.isVideoEnabled(),
        audioTrack: s.getData().getAudioTracks()[0].enabled,
        videoTrack: s.getData().getVideoTracks()[0].enabled,
        audioFlow: s.getAudioFlowStatus().enabled,
        videoFlow: s.getVideoFlowStatus().enabled,
      });
      await s.disableAudio();
      const audioOff = snapshot();
      await s.disableVideo();
      const bothOff = snapshot();
      await s.enableAudio();
      const audioBack = snapshot();
      await s.enableVideo();
      const bothBack = snapshot();
      return { audioOff, bothOff, audioBack, bothBack };
    });
    expect(states.audioOff).toEqual({ audio: false, video: true, audioTrack: false, videoTrack: true, audioFlow: false, videoFlow: true });
    expect(states.bothOff).toEqual({ audio: false, video: false, audioTrack: false, videoTrack: false, audioFlow: false, videoFlow: false });
    expect(states.audioBack).toEqual({ audio: true, video: false, audioTrack: true, videoTrack: false, audioFlow: true, videoFlow: false });
    expect(states.bothBack).toEqual({ audio: true, video: true, audioTrack: true, videoTrack: true, audioFlow: true, videoFlow: true });

    await waitInPage(user, 'four flowStatusChanged events', () => E2E.count('stream:flowStatusChanged') >= 4);
    const events = await user.page.evaluate(() => ({
      flow: E2E.of('stream:flowStatusChanged').map((e) => [e.payload.type, e.payload.enabled]),
      audio: E2E.of('stream:audioFlowStatusChanged').map((e) => e.payload.enabled),
      video: E2E.of('stream:videoFlowStatusChanged').map((e) => e.payload.enabled),
    }));
    expect(events.flow).toEqual([
      ['audio', false],
      ['video', false],
      ['audio', true],
      ['video', true],
    ]);
    expect(events.audio).toEqual([false, true]);
    expect(events.video).toEqual([false, true]);
  });

  test('release() stops every track: trackStopped per track, then release', async () => {
    const user = await withStream('released');
    await user.page.evaluate(() => E2E.keep.stream.release());
    await waitInPage(user, 'release event', () => E2E.count('stream:release') > 0);
    const result = await user.page.evaluate(() => ({
      stopped: E2E.of('stream:trackStopped')
        .map((e) => e.payload.type)
        .sort(),
      releaseIndex: E2E.events.findIndex((e) => e.type === 'stream:release'),
      lastTrackStoppedIndex: E2E.events.map((e) => e.type).lastIndexOf('stream:trackStopped'),
      hasData: E2E.keep.stream.hasData(),
    }));
    expect(result.stopped).toEqual(['audio', 'video']);
    expect(result.releaseIndex).toBeGreaterThan(result.lastTrackStoppedIndex);
    expect(result.hasData).toBe(false);
  });

  test('getUserMediaDevices() lists the fake devices once a stream exists (mediaDeviceChanged), and device ids select the device', async () => {
    const user = await env.user('devices');
    await user.page.evaluate(async () => {
      E2E.ua = new apiRTC.UserAgent({ uri: 'apiKey:myDemoApiKey' });
      E2E.ua.on('mediaDeviceChanged', (e: { updateReason: string }) => E2E.record('mediaDeviceChanged', { reason: e.updateReason }));
      E2E.keep.first = await E2E.ua.createStream();
    });
    await waitInPage(user, 'mediaDeviceChanged', () => E2E.count('mediaDeviceChanged') > 0);
    const devices = await user.page.evaluate(() => {
      const list = E2E.ua.getUserMediaDevices();
      const describe = (
        map: Record<string, { getId(): string; getLabel(): string; getType(): string; isCamera(): boolean; isMicrophone(): boolean; isAudioOutput(): boolean }>,
      ) =>
        Object.entries(map).map(([key, d]) => ({
          keyIsId: key === d.getId(),
          label: d.getLabel(),
          type: d.getType(),
          camera: d.isCamera(),
          microphone: d.isMicrophone(),
          output: d.isAudioOutput(),
        }));
      return { video: describe(list.videoinput), audio: describe(list.audioinput), output: describe(list.audiooutput) };
    });
    expect(devices.video).toContainEqual({ keyIsId: true, label: 'fake_device_0', type: 'videoinput', camera: true, microphone: false, output: false });
    expect(devices.audio.length).toBeGreaterThanOrEqual(2);
    expect(devices.audio.every((d) => d.keyIsId && d.type === 'audioinput' && d.microphone && d.label !== '')).toBe(true);
    expect(devices.output.every((d) => d.type === 'audiooutput' && d.output)).toBe(true);

    // Pick a non-default microphone by id: the new stream's audio track uses it.
    const chosen = await user.page.evaluate(async () => {
      const list = E2E.ua.getUserMediaDevices();
      const mic = Object.values(list.audioinput as Record<string, { getId(): string; getLabel(): string }>).find((d) =>
        d.getLabel().includes('Fake Audio Input 1'),
      );
      const cam = Object.values(list.videoinput as Record<string, { getId(): string }>)[0];
      if (!mic || !cam) return { missing: true };
      const stream = await E2E.ua.createStream({ audioInputId: mic.getId(), videoInputId: cam.getId() });
      return {
        wanted: mic.getId(),
        got: stream.getData().getAudioTracks()[0].getSettings().deviceId,
        label: stream.getData().getAudioTracks()[0].label,
        camera: stream.getData().getVideoTracks()[0].getSettings().deviceId === cam.getId(),
      };
    });
    expect(chosen).toEqual({ wanted: expect.any(String), got: (chosen as { wanted: string }).wanted, label: 'Fake Audio Input 1', camera: true });
  });

  test('Stream.createDisplayMediaStream and createScreensharingStream give screen-sharing streams', async () => {
    const user = await env.user('screen');
    const result = await user.page.evaluate(async () => {
      const display = await apiRTC.Stream.createDisplayMediaStream({ video: true, audio: false }, false);
      const screen = await apiRTC.Stream.createScreensharingStream();
      const describe = (s: { isScreensharing(): boolean; hasVideo(): boolean; hasAudio(): boolean; isRemote: boolean; getData(): MediaStream }) => ({
        screen: s.isScreensharing(),
        hasVideo: s.hasVideo(),
        hasAudio: s.hasAudio(),
        isRemote: s.isRemote,
        surface: s.getData().getVideoTracks()[0]?.getSettings().displaySurface,
      });
      return { display: describe(display), screen: describe(screen) };
    });
    expect(result.display).toEqual({ screen: true, hasVideo: true, hasAudio: false, isRemote: false, surface: 'monitor' });
    expect(result.screen).toMatchObject({ screen: true, hasVideo: true, isRemote: false });
  });
});
