import { describe, expect, it } from 'vitest';
import { OPUS, VP8 } from './codecs.js';
import { resolveMediaConfig } from './MediaConfig.js';
import type { NativeTrack } from './native.js';
import { PublishedTrack } from './PublishedTrack.js';

/** The receiving node-datachannel track: only delivery matters here. */
function inbound(): { native: NativeTrack; deliver: (b: Buffer) => void } {
  let deliver: (b: Buffer) => void = () => undefined;
  const native = {
    mid: () => '0',
    isOpen: () => true,
    sendMessageBinary: () => true,
    onMessage: (cb: (b: Buffer) => void) => void (deliver = cb),
    onOpen: () => undefined,
    onClosed: () => undefined,
    onError: () => undefined,
    close: () => undefined,
  } satisfies NativeTrack;
  return { native, deliver: (b) => deliver(b) };
}

function track(kind: 'audio' | 'video', audioLevelExtId: number): { t: PublishedTrack; deliver: (b: Buffer) => void } {
  const t = new PublishedTrack(
    { publishedTrackClosed: () => undefined },
    {
      id: 't',
      peerId: 'alice',
      mid: '0',
      kind,
      streamId: 's',
      trackId: 'mic',
      ssrc: 1,
      codecs: [{ payloadType: 111, codec: kind === 'audio' ? OPUS : VP8 }],
      rtcpSenderSsrc: 2,
      audioLevelExtId,
    },
    resolveMediaConfig(),
  );
  const { native, deliver } = inbound();
  t.bind(native);
  return { t, deliver };
}

/** An Opus packet with a one-byte extension block: audio level (id 1) then mid (id 4). */
const opus = (seq: number, level: number): Buffer =>
  Buffer.from([0x90, 111, seq >> 8, seq & 0xff, 0, 0, 0, 1, 0, 0, 0, 1, 0xbe, 0xde, 0, 1, 0x10, 0x80 | level, 0x40, 0x30, 0xfc]);

describe('PublishedTrack audio levels', () => {
  it('averages the RFC 6464 levels of a window, then starts afresh (silence without packets)', () => {
    const { t, deliver } = track('audio', 1);
    expect(t.hasAudioLevels).toBe(true);
    deliver(opus(1, 20));
    deliver(opus(2, 30));
    expect(t.takeAudioLevel()).toBe(25);
    expect(t.takeAudioLevel()).toBe(127);
    expect(t.getStats().packetsIn).toBe(2);
  });

  it('reads nothing without a negotiated id, or on video', () => {
    const a = track('audio', 0);
    a.deliver(opus(1, 10));
    expect(a.t.hasAudioLevels).toBe(false);
    expect(a.t.takeAudioLevel()).toBe(127);
    const v = track('video', 1);
    expect(v.t.hasAudioLevels).toBe(false);
  });
});
