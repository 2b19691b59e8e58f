import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage, type User } from '../harness/index.js';
import { convUser, join, subscribe, waitRemoteStream } from './helpers.js';
import { writeToneWav } from './toneWav.js';

/*
 * Issue 12: speaker detection and call statistics in real Chromium. The microphone is a WAV the
 * test writes (1 s of a 440 Hz tone with two harmonics, then 4 s of silence, looped by Chromium),
 * so the published stream really starts and stops speaking. The analyser's smoothing (Web Audio
 * default 0.8 per read, i.e. about 70 levels per second at 10 reads/s) makes the level decay over
 * about a second after the tone, then the 1 s hold runs: 4 s of silence leave a wide margin for
 * isSpeaking:false. The browser's gain control and noise suppression are off, so the silence
 * stays silent instead of being amplified.
 */

const wav = writeToneWav(1, 4);

const env = useE2E('conversation-quality', {}, { extraArgs: [`--use-file-for-fake-audio-capture=${wav}`] });

const STATS_INTERVAL_MS = 1_000;

/** Turns both features on and records the two events (summaries) into E2E.events. */
async function enableQuality(user: User): Promise<void> {
  await user.page.evaluate((interval: number) => {
    E2E.ua.enableActiveSpeakerDetecting(true, { threshold: 0.2 });
    E2E.ua.enableCallStatsMonitoring(true, { interval });
    const conv = CONV.conv;
    conv.on('audioAmplitude', (e: { streamId: number; callId: string; amplitude: number; isSpeaking: boolean; descriptor: object }) =>
      E2E.record('audioAmplitude', { streamId: e.streamId, callId: e.callId, amplitude: e.amplitude, isSpeaking: e.isSpeaking, descriptor: e.descriptor }),
    );
    conv.on('callStatsUpdate', (e: { streamId: number; callId: string; stats: unknown; mesh?: boolean; userId?: string; contact?: { getId(): string } }) =>
      E2E.record('callStatsUpdate', {
        streamId: e.streamId,
        callId: e.callId,
        mesh: e.mesh ?? null,
        userId: e.userId ?? null,
        contactId: e.contact ? e.contact.getId() : null,
        stats: JSON.parse(JSON.stringify(e.stats)),
      }),
    );
  }, STATS_INTERVAL_MS);
}

/** Waits until `user` saw `streamId` start speaking and, after that, stop. */
async function waitSpeakingCycle(user: User, streamId: number): Promise<void> {
  await waitInPage(
    user,
    `audioAmplitude of stream ${streamId}: isSpeaking true then false`,
    (id: number) => {
      const seq = E2E.of('audioAmplitude').filter((e) => e.streamId === id);
      const start = seq.findIndex((e) => e.isSpeaking === true);
      return start >= 0 && seq.slice(start + 1).some((e) => e.isSpeaking === false);
    },
    streamId,
    30_000,
  );
}

interface Recorded {
  streamId: number;
  callId: string;
  amplitude: number;
  isSpeaking: boolean;
  descriptor: { amplitude: number; isSpeaking: boolean };
}

async function amplitudeEvents(user: User, streamId: number): Promise<Recorded[]> {
  return user.page.evaluate((id: number) => E2E.of('audioAmplitude').filter((e) => e.streamId === id) as unknown as Recorded[], streamId);
}

function checkAmplitudeEvents(events: Recorded[], callId: string): void {
  for (const e of events) {
    expect(e.callId).toBe(callId);
    expect(e.descriptor).toEqual({ amplitude: e.amplitude, isSpeaking: e.isSpeaking });
    expect(e.amplitude).toBeGreaterThanOrEqual(0);
    expect(e.amplitude).toBeLessThanOrEqual(255);
  }
  // Only transitions are reported: never the same state twice in a row.
  for (let i = 1; i < events.length; i++) expect(events[i]?.isSpeaking).not.toBe(events[i - 1]?.isSpeaking);
}

/** A MOS value in the model's range. */
const inRange = (x: unknown): boolean => typeof x === 'number' && x >= 1 && x <= 4.5;

async function scenario(room: string, mesh: boolean): Promise<void> {
  const alice = await convUser(env, `${room}-alice`);
  const bob = await convUser(env, `${room}-bob`);
  const opts = mesh ? { meshModeEnabled: true, meshOnlyEnabled: true } : {};
  await join(alice.user, room, opts);
  await join(bob.user, room, opts);
  await enableQuality(alice.user);
  await enableQuality(bob.user);
  const pub = await alice.user.page.evaluate(async () => {
    const s = await E2E.ua.createStream({
      constraints: { audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false }, video: { width: 320, height: 240 } },
    });
    CONV.local.camera = s;
    await CONV.conv.publish(s);
    return { streamId: s.streamId as number };
  });
  const streamId = await waitRemoteStream(bob.user);
  expect(streamId).toBe(pub.streamId);
  await subscribe(bob.user, streamId);
  const callId = await bob.user.page.evaluate((id: number) => CONV.conv.getStreamInfo(id)?.callId as string, streamId);

  // Speaker detection: the publisher sees its own stream speak and stop, and so does the subscriber.
  await waitSpeakingCycle(alice.user, streamId);
  await waitSpeakingCycle(bob.user, streamId);
  checkAmplitudeEvents(await amplitudeEvents(alice.user, streamId), callId);
  checkAmplitudeEvents(await amplitudeEvents(bob.user, streamId), callId);

  // The Stream's own analysis (enableAudioAnalysis): levels every sample, crossings as audioAmplitudeInfo.
  if (!mesh) {
    await alice.user.page.evaluate(() => {
      const s = CONV.local.camera;
      s.on('audioAmplitude', (a: number) => E2E.record('stream:audioAmplitude', { a }));
      s.on('audioAmplitudeInfo', (i: { amplitude: number; isSpeaking: boolean }) => E2E.record('stream:audioAmplitudeInfo', i));
      s.enableAudioAnalysis({ threshold: 51 });
    });
    await waitInPage(
      alice.user,
      'stream audioAmplitudeInfo: isSpeaking true then false',
      () => {
        const seq = E2E.of('stream:audioAmplitudeInfo');
        const start = seq.findIndex((e) => e.isSpeaking === true);
        return start >= 0 && seq.slice(start + 1).some((e) => e.isSpeaking === false);
      },
      undefined,
      30_000,
    );
    const levels = await alice.user.page.evaluate(() => E2E.of('stream:audioAmplitude').map((e) => e.a as number));
    expect(levels.every((a) => typeof a === 'number' && a >= 0 && a <= 255)).toBe(true);
    expect(Math.max(...levels)).toBeGreaterThan(51);
    await alice.user.page.evaluate(() => CONV.local.camera.disableAudioAnalysis());
    const n = await alice.user.page.evaluate(() => E2E.count('stream:audioAmplitude'));
    await alice.user.page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
    expect(await alice.user.page.evaluate(() => E2E.count('stream:audioAmplitude'))).toBe(n);
  }

  // Statistics: the subscriber receives audio and video at a non-zero rate, with MOS values.
  await waitInPage(
    bob.user,
    'two callStatsUpdate with received audio and video flowing',
    (id: number) =>
      E2E.of('callStatsUpdate').filter((e) => {
        const s = e.stats as { audioReceived?: { bitsReceivedPerSecond: number }; videoReceived?: { bitsReceivedPerSecond: number } };
        return e.streamId === id && (s.audioReceived?.bitsReceivedPerSecond ?? 0) > 0 && (s.videoReceived?.bitsReceivedPerSecond ?? 0) > 0;
      }).length >= 2,
    streamId,
    30_000,
  );
  await waitInPage(
    alice.user,
    'callStatsUpdate with sent audio and video flowing',
    (id: number) =>
      E2E.of('callStatsUpdate').some((e) => {
        const s = e.stats as { audioSent?: { bitsSentPerSecond: number }; videoSent?: { bitsSentPerSecond: number } };
        return e.streamId === id && (s.audioSent?.bitsSentPerSecond ?? 0) > 0 && (s.videoSent?.bitsSentPerSecond ?? 0) > 0;
      }),
    streamId,
    30_000,
  );

  type StatsEvent = {
    streamId: number;
    callId: string;
    mesh: boolean | null;
    userId: string | null;
    contactId: string | null;
    at: number;
    stats: Record<string, Record<string, unknown>>;
  };
  const received = (await bob.user.page.evaluate(() => E2E.of('callStatsUpdate'))) as unknown as StatsEvent[];
  const sent = (await alice.user.page.evaluate(() => E2E.of('callStatsUpdate'))) as unknown as StatsEvent[];
  const flowing = received.filter((e) => e.streamId === streamId && Number(e.stats['videoReceived']?.['bitsReceivedPerSecond'] ?? 0) > 0).at(-1);
  const flowingSent = sent.filter((e) => e.streamId === streamId && Number(e.stats['videoSent']?.['bitsSentPerSecond'] ?? 0) > 0).at(-1);
  if (!flowing || !flowingSent) throw new Error('no stats event with media');

  expect(flowing.callId).toBe(callId);
  expect(flowing.stats['audioReceived']).toMatchObject({ kind: 'audio', mediaType: 'audio', type: 'inbound-rtp' });
  expect(flowing.stats['videoReceived']).toMatchObject({ kind: 'video', mediaType: 'video', type: 'inbound-rtp' });
  expect(Number(flowing.stats['videoReceived']?.['width'])).toBeGreaterThan(0);
  expect(Number(flowing.stats['audioReceived']?.['packetsReceived'])).toBeGreaterThan(0);
  expect(flowing.stats['audioSent']).toBeUndefined();
  const q = flowing.stats['quality'] ?? {};
  expect({ mosS: inRange(q['mosS']), mosV: inRange(q['mosV']), mosAV: inRange(q['mosAV']) }).toEqual({ mosS: true, mosV: true, mosAV: true });
  expect({ mosSS: q['mosSS'], mosSV: q['mosSV'] }).toEqual({ mosSS: 'NoStream', mosSV: 'NoStream' });

  expect(flowingSent.stats['audioSent']).toMatchObject({ kind: 'audio', type: 'outbound-rtp' });
  expect(flowingSent.stats['videoSent']).toMatchObject({ kind: 'video', type: 'outbound-rtp' });
  expect(flowingSent.stats['audioReceived']).toBeUndefined();
  const qs = flowingSent.stats['quality'] ?? {};
  expect({ mosSS: inRange(qs['mosSS']), mosSV: inRange(qs['mosSV']), mosSAV: inRange(qs['mosSAV']) }).toEqual({ mosSS: true, mosSV: true, mosSAV: true });
  expect({ mosS: qs['mosS'], mosV: qs['mosV'] }).toEqual({ mosS: 'NoStream', mosV: 'NoStream' });

  // Mesh entries name the peer connection's user; SFU entries do not.
  if (mesh) {
    expect(flowing).toMatchObject({ mesh: true, userId: alice.id, contactId: alice.id });
    expect(flowingSent).toMatchObject({ mesh: true, userId: bob.id, contactId: bob.id });
  } else {
    expect(flowing).toMatchObject({ mesh: null, userId: null, contactId: null });
  }

  // Updates come once per interval, never more often: n updates span at least n − 1 intervals,
  // less the getStats() latency of the first one (bounded by one more interval here). No upper
  // bound on the spacing: a loaded machine may delay a timer.
  const updates = received.filter((e) => e.streamId === streamId);
  expect(updates.length).toBeGreaterThanOrEqual(2);
  const span = (updates.at(-1)?.at ?? 0) - (updates[0]?.at ?? 0);
  expect(updates.length).toBeLessThanOrEqual(span / STATS_INTERVAL_MS + 2);
  for (const e of updates) expect(Number(e.stats['audioReceived']?.['samplingInterval'] ?? 1)).toBeGreaterThan(0);

  // Turning monitoring off stops the updates.
  await bob.user.page.evaluate(() => E2E.ua.enableCallStatsMonitoring(false));
  const count = await bob.user.page.evaluate(() => E2E.count('callStatsUpdate'));
  await bob.user.page.evaluate((ms: number) => new Promise((r) => setTimeout(r, ms)), STATS_INTERVAL_MS * 2.5);
  expect(await bob.user.page.evaluate(() => E2E.count('callStatsUpdate'))).toBe(count);
}

describe('active speaker detection and call statistics', () => {
  test('SFU: audioAmplitude toggles isSpeaking on the publisher and the subscriber; callStatsUpdate carries rates and MOS on both sides', async () => {
    await scenario('quality-sfu', false);
  });

  test('mesh: the same, with mesh entries naming the peer', async () => {
    await scenario('quality-mesh', true);
  });
});
