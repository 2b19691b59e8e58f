import { describe, expect, test } from 'vitest';
import { useE2E, waitInPage, type User } from '../harness/index.js';
import { convUser, join, waitRemoteStreams } from './helpers.js';
import { writeToneWav } from './toneWav.js';

/*
 * Server-side dominant speaker (Parley extension, SFU): Chromium sends the RFC 6464 audio level
 * header extension the SFU kept in its answer; the SFU ranks the room's audio tracks by it and
 * every participant gets `dominantSpeakerChanged`. Alice's microphone is a WAV tone (written
 * here, looped by Chromium); Bob publishes the same fake microphone but disabled, so his packets
 * say silence (-127 dBov); then they swap. Carol only watches. Runs with in-process media and, with
 * PARLEY_MEDIA_WORKERS=2, through media worker processes.
 */

const wav = writeToneWav(2, 0);

const env = useE2E('conversation-dominant-speaker', {}, { extraArgs: [`--use-file-for-fake-audio-capture=${wav}`] });

/** Records the conversation's dominantSpeakerChanged events as {streamId, contactId}. */
async function listen(user: User): Promise<void> {
  await user.page.evaluate(() => {
    CONV.conv.on('dominantSpeakerChanged', (e: { streamId: number; contact: { getId(): string } }) =>
      E2E.record('dominantSpeakerChanged', { streamId: e.streamId, contactId: e.contact.getId() }),
    );
  });
}

/** Publishes an audio-only stream (processing off so the tone stays a tone); `silent` disables its audio track. */
async function publishAudio(user: User, silent: boolean): Promise<number> {
  return user.page.evaluate(async (mute: boolean) => {
    const s = await E2E.ua.createStream({ constraints: { audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false }, video: false } });
    if (mute) await s.disableAudio();
    CONV.local.camera = s;
    await CONV.conv.publish(s);
    return s.streamId as number;
  }, silent);
}

describe('dominant speaker from RFC 6464 audio levels (SFU)', () => {
  test('the participants are told the tone publisher is the dominant speaker, then the other one when they swap', async () => {
    const room = 'dominant-speaker';
    const alice = await convUser(env, 'ds-alice');
    const bob = await convUser(env, 'ds-bob');
    const carol = await convUser(env, 'ds-carol');
    for (const u of [alice, bob, carol]) {
      await join(u.user, room);
      await listen(u.user);
    }
    const bobStream = await publishAudio(bob.user, true);
    const aliceStream = await publishAudio(alice.user, false);
    // Everyone knows both streams before the events are checked (the ids they must name).
    expect((await waitRemoteStreams(carol.user, 2)).sort()).toEqual([aliceStream, bobStream].sort());

    for (const u of [bob, carol, alice]) {
      await waitInPage(
        u.user,
        `dominantSpeakerChanged naming stream ${aliceStream}`,
        (id: number) => E2E.of('dominantSpeakerChanged').some((e) => e.streamId === id),
        aliceStream,
        30_000,
      );
    }
    for (const u of [bob, carol]) {
      const events = await u.user.page.evaluate(() => E2E.of('dominantSpeakerChanged').map((e) => ({ streamId: e.streamId, contactId: e.contactId })));
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) expect(e).toEqual({ streamId: aliceStream, contactId: alice.id });
    }

    // Roles swap: Alice's microphone goes quiet, Bob's plays the tone. After the hold time Bob
    // takes over (his levels are read too), and the choice does not flap back.
    await alice.user.page.evaluate(() => CONV.local.camera.disableAudio());
    await bob.user.page.evaluate(() => CONV.local.camera.enableAudio());
    for (const u of [alice, carol, bob]) {
      await waitInPage(
        u.user,
        `dominantSpeakerChanged naming stream ${bobStream}`,
        (id: number) => E2E.of('dominantSpeakerChanged').some((e) => e.streamId === id),
        bobStream,
        30_000,
      );
    }
    const seen = await carol.user.page.evaluate(() => E2E.of('dominantSpeakerChanged').map((e) => ({ streamId: e.streamId, contactId: e.contactId })));
    expect(seen).toEqual([
      { streamId: aliceStream, contactId: alice.id },
      { streamId: bobStream, contactId: bob.id },
    ]);
  });
});
