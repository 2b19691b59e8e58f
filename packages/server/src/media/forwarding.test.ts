import { describe, expect, it, vi } from 'vitest';
import { OPUS, RED, VP8 } from './codecs.js';
import { ForwardedTrack, type ForwardedTrackOwner } from './ForwardedTrack.js';
import { resolveMediaConfig } from './MediaConfig.js';
import type { NativeTrack } from './native.js';
import { PublishedTrack } from './PublishedTrack.js';
import { describeRtcp } from './rtcp/describe.js';
import { writeNack, writePli } from './rtcp/feedback.js';
import { NackBudget } from './rtcp/NackBudget.js';
import { writeRemb } from './rtcp/remb.js';
import { readSequenceNumber, readSsrc, readTimestamp } from './rtp/RtpPacket.js';

/** Stands in for a node-datachannel Track: records what is sent, lets the test deliver packets. */
class FakeTrack implements NativeTrack {
  sent: Buffer[] = [];
  open = true;
  deliver: (msg: Buffer) => void = () => {};
  opened: () => void = () => {};
  constructor(private readonly id: string) {}
  mid(): string {
    return this.id;
  }
  isOpen(): boolean {
    return this.open;
  }
  sendMessageBinary(buffer: Buffer): boolean {
    if (!this.open) throw new Error('Track is not open');
    this.sent.push(Buffer.from(buffer)); // the binding copies too
    return true;
  }
  onMessage(cb: (msg: Buffer) => void): void {
    this.deliver = cb;
  }
  onOpen(cb: () => void): void {
    this.opened = cb;
  }
  onClosed(): void {}
  onError(): void {}
  close(): void {}
  rtp(): Buffer[] {
    return this.sent.filter((b) => b[1]! < 192 || b[1]! > 223);
  }
  rtcp(): Buffer[] {
    return this.sent.filter((b) => b[1]! >= 192 && b[1]! <= 223);
  }
}

const PUB_SSRC = 0x11111111;
const config = resolveMediaConfig();
const budget = (): NackBudget => new NackBudget(config.nackRetransmitRatio, config.nackBurst, config.nackRepeatWindowMs);

function rtp(seq: number, ts: number, pt = 100): Buffer {
  const b = Buffer.alloc(20, 0xaa);
  b[0] = 0x80;
  b[1] = pt;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(ts, 4);
  b.writeUInt32BE(PUB_SSRC, 8);
  return b;
}

/** First packet of a VP8 keyframe (RFC 7741: S=1, PID=0; payload header P bit 0). */
function keyframe(seq: number, ts: number): Buffer {
  const b = rtp(seq, ts);
  b[12] = 0x10;
  b[13] = 0x00;
  return b;
}

function setup(kind: 'video' | 'audio' = 'video', nackBudget: () => NackBudget = budget, accepted: readonly number[][] = []) {
  const publishedClosed = vi.fn();
  const source = new PublishedTrack(
    { publishedTrackClosed: publishedClosed },
    {
      id: 'track-1',
      peerId: 'alice',
      mid: '1',
      kind,
      streamId: 'stream-a',
      trackId: 'cam',
      ssrc: PUB_SSRC,
      codecs:
        kind === 'video'
          ? [{ payloadType: 100, codec: VP8 }]
          : [
              { payloadType: 109, codec: OPUS },
              { payloadType: 63, codec: RED },
            ],
      rtcpSenderSsrc: 0x5eed,
    },
    config,
  );
  const inbound = new FakeTrack('1');
  source.bind(inbound);
  const subscribers = [0xaaaa0001, 0xaaaa0002].map((ssrc, i) => {
    const owner = {
      forwardedTrackClosed: vi.fn<(t: ForwardedTrack) => void>(),
      onRemb: vi.fn<(bitrate: number) => void>(),
      videoBitrateShare: 0,
      remb: 0,
      nackBudget: nackBudget(),
    } satisfies ForwardedTrackOwner;
    const fwd = new ForwardedTrack(owner, `sub-${i}`, source, String(i), ssrc, false);
    const out = new FakeTrack(String(i));
    fwd.bind(out);
    fwd.negotiated(accepted[i] ?? [kind === 'video' ? 96 : 111]);
    return { fwd, out, owner };
  });
  return { source, inbound, subscribers, publishedClosed };
}

describe('forwarding one published track to two subscribers', () => {
  it('forwards the Opus inside RED while the subscriber estimate is under 600 kbit/s, RED before the first estimate and above', () => {
    const { inbound, subscribers } = setup('audio', budget, [[111, 63]]);
    const red = (seq: number) => Buffer.concat([rtp(seq, seq * 960, 63).subarray(0, 12), Buffer.from([109, 0xd1, 0xd2])]);
    inbound.deliver(red(1)); // no REMB yet
    subscribers[0]!.owner.remb = 500_000;
    inbound.deliver(red(2));
    subscribers[0]!.owner.remb = 700_000;
    inbound.deliver(red(3));
    expect(subscribers[0]!.out.rtp().map((p) => p[1]! & 0x7f)).toEqual([63, 111, 63]);
  });

  it('forwards RED as is to a subscriber that took it and has the bandwidth, and the Opus inside to one that did not', () => {
    const { inbound, subscribers } = setup('audio', budget, [[111, 63], [111]]);
    for (const s of subscribers) s.owner.remb = 2_000_000;
    // RED: one redundant block (Opus, 960 ticks back, 2 bytes), then the primary Opus (3 bytes).
    const red = Buffer.concat([rtp(7, 48000, 63).subarray(0, 12), Buffer.from([0x80 | 109, 0x0f, 0x00, 2, 109, 0xe1, 0xe2, 0xd1, 0xd2, 0xd3])]);
    inbound.deliver(red);
    inbound.deliver(rtp(8, 48960, 109)); // plain Opus still passes both ways
    const [withRed, withoutRed] = subscribers.map((s) => s.out.rtp());
    expect(withRed!.map((p) => p[1]! & 0x7f)).toEqual([63, 111]);
    expect(withRed![0]!.subarray(12)).toEqual(red.subarray(12));
    expect(withoutRed!.map((p) => p[1]! & 0x7f)).toEqual([111, 111]);
    expect([...withoutRed![0]!.subarray(12)]).toEqual([0xd1, 0xd2, 0xd3]);
    expect((readSequenceNumber(withoutRed![1]!) - readSequenceNumber(withoutRed![0]!)) & 0xffff).toBe(1);
    expect(readSsrc(withoutRed![0]!)).toBe(subscribers[1]!.fwd.ssrc);
  });

  it('gives each subscriber its own SSRC, payload type and continuous sequence numbers', () => {
    const { inbound, subscribers } = setup();
    for (let i = 0; i < 5; i++) inbound.deliver(rtp((65533 + i) & 0xffff, 90000 * i)); // crosses the wrap
    for (const { out, fwd } of subscribers) {
      const pkts = out.rtp();
      expect(pkts).toHaveLength(5);
      for (const p of pkts) {
        expect(readSsrc(p)).toBe(fwd.ssrc);
        expect(p[1]! & 0x7f).toBe(96);
        expect(p.subarray(12)).toEqual(Buffer.alloc(8, 0xaa));
      }
      for (let i = 1; i < 5; i++) {
        expect((readSequenceNumber(pkts[i]!) - readSequenceNumber(pkts[i - 1]!)) & 0xffff).toBe(1);
        expect((readTimestamp(pkts[i]!) - readTimestamp(pkts[i - 1]!)) >>> 0).toBe(90000);
      }
    }
  });

  it('requests a keyframe when a subscription opens, throttled per source', () => {
    const { inbound } = setup();
    // Two subscriptions opened at once: one PLI, to the publisher's SSRC.
    const plis = inbound.rtcp();
    expect(plis).toHaveLength(1);
    expect(describeRtcp(plis[0]!)).toEqual([{ type: 'PLI', sender: 0x5eed, media: PUB_SSRC }]);
  });

  it('turns subscriber PLIs into PLIs to the publisher, merged until the keyframe comes, ignoring ones for other SSRCs', () => {
    vi.useFakeTimers();
    try {
      const { inbound, subscribers } = setup();
      inbound.deliver(keyframe(1, 0)); // answers the setup's request
      vi.advanceTimersByTime(config.pliIntervalMs);
      inbound.sent = [];
      const [a] = subscribers;
      const pli = Buffer.alloc(12);
      writePli(pli, 0, 1, a!.fwd.ssrc);
      for (let i = 0; i < 10; i++) a!.out.deliver(pli);
      const other = Buffer.alloc(12);
      writePli(other, 0, 1, 0xdeadbeef);
      a!.out.deliver(other);
      expect(inbound.rtcp()).toHaveLength(1);
      expect(a!.fwd.getStats().plisReceived).toBe(10);
      vi.advanceTimersByTime(config.pliIntervalMs);
      a!.out.deliver(pli);
      expect(inbound.rtcp()).toHaveLength(1); // still waiting for the keyframe asked for
      inbound.deliver(keyframe(2, 3000));
      a!.out.deliver(pli);
      expect(inbound.rtcp()).toHaveLength(2); // answered, interval over: sent at once
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers a NACK with the cached packet, rewritten exactly as first sent', () => {
    const { inbound, subscribers } = setup();
    for (let i = 0; i < 10; i++) inbound.deliver(rtp(1000 + i, i * 3000));
    const [, b] = subscribers;
    const original = b!.out.rtp();
    const lost = [readSequenceNumber(original[3]!), readSequenceNumber(original[4]!), readSequenceNumber(original[7]!)];
    b!.out.sent = [];
    const nack = Buffer.alloc(32);
    const len = writeNack(nack, 0, 1, b!.fwd.ssrc, lost);
    b!.out.deliver(nack.subarray(0, len));
    expect(b!.out.rtp()).toEqual([original[3], original[4], original[7]]);
    expect(b!.fwd.getStats()).toMatchObject({ nacksReceived: 1, nackedPackets: 3, retransmitted: 3, retransmitMisses: 0 });
  });

  it('counts NACKs for packets no longer cached as misses', () => {
    const { inbound, subscribers } = setup();
    inbound.deliver(rtp(1, 0));
    const [a] = subscribers;
    const first = readSequenceNumber(a!.out.rtp()[0]!);
    const nack = Buffer.alloc(16);
    writeNack(nack, 0, 1, a!.fwd.ssrc, [(first + 5000) & 0xffff]);
    a!.out.deliver(nack);
    expect(a!.fwd.getStats().retransmitMisses).toBe(1);
  });

  it('answers NACKs within the subscriber budget: one 0xffff entry gets what was earned, the rest is refused and counted', () => {
    // 1/8 retransmission per forwarded packet, at most 4 banked, no repeat window.
    const { inbound, subscribers } = setup('video', () => new NackBudget(0.125, 4, 0));
    for (let i = 0; i < 40; i++) inbound.deliver(rtp(2000 + i, i * 3000));
    const [a] = subscribers;
    const first = readSequenceNumber(a!.out.rtp()[0]!);
    a!.out.sent = [];
    const nack = Buffer.alloc(16);
    writeNack(
      nack,
      0,
      1,
      a!.fwd.ssrc,
      Array.from({ length: 17 }, (_, i) => (first + i) & 0xffff),
    ); // PID + BLP 0xffff
    expect(nack.readUInt16BE(14)).toBe(0xffff);
    a!.out.deliver(nack);
    expect(a!.out.rtp()).toHaveLength(4);
    expect(a!.fwd.getStats()).toMatchObject({ nackedPackets: 17, retransmitted: 4, retransmitsRefused: 13, retransmitMisses: 0 });
    // Forwarding earns it back: 8 packets, one more retransmission.
    for (let i = 40; i < 48; i++) inbound.deliver(rtp(2000 + i, i * 3000));
    a!.out.sent = [];
    a!.out.deliver(nack);
    expect(a!.out.rtp()).toHaveLength(1);
    expect(a!.fwd.getStats()).toMatchObject({ retransmitted: 5, retransmitsRefused: 29 });
  });

  it('ignores a repeated NACK for a packet retransmitted within the repeat window', () => {
    let now = 0;
    const { inbound, subscribers } = setup('video', () => new NackBudget(1, 100, 100, () => now));
    for (let i = 0; i < 5; i++) inbound.deliver(rtp(3000 + i, i * 3000));
    const [a] = subscribers;
    const lost = readSequenceNumber(a!.out.rtp()[2]!);
    a!.out.sent = [];
    const nack = Buffer.alloc(16);
    writeNack(nack, 0, 1, a!.fwd.ssrc, [lost]);
    for (let i = 0; i < 10; i++) a!.out.deliver(nack);
    expect(a!.out.rtp()).toHaveLength(1);
    expect(a!.fwd.getStats()).toMatchObject({ retransmitted: 1, nackRepeatsIgnored: 9 });
    now += 100; // an RTT later the receiver may really need it again
    a!.out.deliver(nack);
    expect(a!.fwd.getStats()).toMatchObject({ retransmitted: 2, nackRepeatsIgnored: 9 });
  });

  it('allocates the NACK cache of a video track with its first packet, never for audio', () => {
    const video = setup('video');
    expect(video.source.cache).toBeNull();
    video.inbound.deliver(rtp(1, 0));
    expect(video.source.cache?.has(1)).toBe(true);
    const audio = setup('audio');
    audio.inbound.deliver(rtp(1, 0, 109));
    expect(audio.source.cache).toBeNull();
  });

  it('translates the publisher sender report for each subscriber', () => {
    const { inbound, subscribers } = setup('audio');
    inbound.deliver(rtp(10, 48000, 109));
    const sr = Buffer.from('80c80006' + PUB_SSRC.toString(16) + 'eb0f6a1e3c28f5c2' + '0000bb80' + '00000001' + '00000008', 'hex');
    inbound.deliver(sr);
    for (const { out, fwd } of subscribers) {
      const rtpOut = out.rtp()[0]!;
      const [got] = describeRtcp(out.rtcp()[0]!);
      expect(got).toMatchObject({ type: 'SR', ssrc: fwd.ssrc, ntpMsw: 0xeb0f6a1e, ntpLsw: 0x3c28f5c2, packets: 1 });
      // Same RTP time as the media packet with timestamp 48000, on the subscriber's timeline.
      expect((got as { rtpTimestamp: number }).rtpTimestamp).toBe(readTimestamp(rtpOut));
    }
  });

  it('ignores a sender report of another SSRC in the compound packet', () => {
    const { inbound, subscribers } = setup('audio');
    inbound.deliver(rtp(10, 48000, 109));
    inbound.deliver(Buffer.from('80c80006' + 'deadbeef' + '00'.repeat(20), 'hex'));
    expect(subscribers[0]!.out.rtcp()).toHaveLength(0);
  });

  it('hands a REMB listing the track first to the connection, once', () => {
    const { subscribers } = setup();
    const [a, b] = subscribers;
    const remb = Buffer.alloc(28);
    writeRemb(remb, 0, 1, 800_000, [a!.fwd.ssrc, b!.fwd.ssrc]);
    a!.out.deliver(remb);
    b!.out.deliver(remb); // libdatachannel delivers it to both tracks it names
    expect(a!.owner.onRemb).toHaveBeenCalledWith(800_000);
    expect(b!.owner.onRemb).not.toHaveBeenCalled();
  });

  it('does not send before the answer and the transport are there', () => {
    const { source, inbound } = setup();
    const owner: ForwardedTrackOwner = { forwardedTrackClosed: vi.fn(), onRemb: vi.fn(), videoBitrateShare: 0, remb: 0, nackBudget: budget() };
    const late = new ForwardedTrack(owner, 'late', source, '9', 0x77, false);
    const out = new FakeTrack('9');
    out.open = false;
    late.bind(out);
    inbound.deliver(rtp(1, 0)); // bound but not negotiated
    late.negotiated([96]); // negotiated but DTLS not up: isOpen() false
    inbound.deliver(rtp(2, 0));
    expect(out.sent).toHaveLength(0);
    expect(late.getStats().packetsDropped).toBe(2);
    out.open = true;
    out.opened();
    inbound.deliver(rtp(3, 0));
    expect(out.rtp()).toHaveLength(1);
  });

  it('drops what the subscriber did not accept in its answer', () => {
    const { source, inbound } = setup();
    const owner: ForwardedTrackOwner = { forwardedTrackClosed: vi.fn(), onRemb: vi.fn(), videoBitrateShare: 0, remb: 0, nackBudget: budget() };
    const f = new ForwardedTrack(owner, 'x', source, '9', 0x77, false);
    const out = new FakeTrack('9');
    f.bind(out);
    f.negotiated([]); // m-section rejected
    inbound.deliver(rtp(1, 0));
    expect(out.rtp()).toHaveLength(0);
  });

  it('closing the source ends every subscription once and tells the owners', () => {
    const { source, subscribers, publishedClosed } = setup();
    const ended = vi.fn();
    for (const { fwd } of subscribers) fwd.on('closed', ended);
    source.close();
    source.close();
    expect(ended).toHaveBeenCalledTimes(2);
    expect(publishedClosed).toHaveBeenCalledTimes(1);
    for (const { fwd, owner } of subscribers) {
      expect(fwd.closed).toBe(true);
      expect(owner.forwardedTrackClosed).toHaveBeenCalledWith(fwd);
    }
    expect(source.subscriberCount).toBe(0);
  });

  it('an unsubscribed track stops receiving while the others go on', () => {
    const { inbound, subscribers, source } = setup();
    const [a, b] = subscribers;
    a!.fwd.close();
    inbound.deliver(rtp(1, 0));
    expect(a!.out.rtp()).toHaveLength(0);
    expect(b!.out.rtp()).toHaveLength(1);
    expect(source.subscriberCount).toBe(1);
  });

  it('asks the publisher for the smallest subscriber share, within bounds', () => {
    const { source, subscribers } = setup();
    expect(source.computeTargetBitrate()).toBe(config.maxVideoBitrate);
    subscribers[0]!.owner.videoBitrateShare = 600_000;
    subscribers[1]!.owner.videoBitrateShare = 900_000;
    expect(source.computeTargetBitrate()).toBe(600_000);
    subscribers[0]!.owner.videoBitrateShare = 10_000;
    expect(source.computeTargetBitrate()).toBe(config.minVideoBitrate);
  });

  it('a subscription whose source ends before its first offer ends too (regression)', () => {
    const { source } = setup();
    const owner: ForwardedTrackOwner = { forwardedTrackClosed: vi.fn(), onRemb: vi.fn(), videoBitrateShare: 0, remb: 0, nackBudget: budget() };
    const pending = new ForwardedTrack(owner, 'pending', source, '5', 0x55, false); // not bound yet
    source.close();
    expect(pending.closed).toBe(true);
    expect(owner.forwardedTrackClosed).toHaveBeenCalledWith(pending);
  });
});
