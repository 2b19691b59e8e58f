import { describe, expect, it, vi } from 'vitest';
import { VP8 } from '../codecs.js';
import { ForwardedTrack, type ForwardedTrackOwner } from '../ForwardedTrack.js';
import { resolveMediaConfig } from '../MediaConfig.js';
import type { NativeTrack } from '../native.js';
import { PublishedTrack } from '../PublishedTrack.js';
import { NackBudget } from '../rtcp/NackBudget.js';
import { readSequenceNumber, readSsrc, readTimestamp } from '../rtp/RtpPacket.js';
import { readPictureId, readVp8Fields, type Vp8Fields } from '../rtp/vp8Descriptor.js';

/** A node-datachannel Track stand-in: records what is sent, lets the test deliver packets. */
class FakeTrack implements NativeTrack {
  sent: Buffer[] = [];
  deliver: (msg: Buffer) => void = () => {};
  constructor(private readonly id: string) {}
  mid(): string {
    return this.id;
  }
  isOpen(): boolean {
    return true;
  }
  sendMessageBinary(buffer: Buffer): boolean {
    this.sent.push(Buffer.from(buffer));
    return true;
  }
  onMessage(cb: (msg: Buffer) => void): void {
    this.deliver = cb;
  }
  onOpen(): void {}
  onClosed(): void {}
  onError(): void {}
  close(): void {}
  rtp(): Buffer[] {
    return this.sent.filter((b) => b[1]! < 192 || b[1]! > 223);
  }
  plis(): number {
    return this.sent.filter((b) => b[1] === 206).length;
  }
}

const config = resolveMediaConfig();

/** A VP8 packet with an extended descriptor: 15-bit PictureID and TL0PICIDX (RFC 7741 §4.2). */
function vp8(ssrc: number, seq: number, ts: number, picture: number, tl0: number, key: boolean, start = true): Buffer {
  const b = Buffer.alloc(24, 0xaa);
  b[0] = 0x80;
  b[1] = 100;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc, 8);
  b[12] = 0x80 | (start ? 0x10 : 0); // X, S
  b[13] = 0xc0; // I, L
  b[14] = 0x80 | (picture >> 8);
  b[15] = picture & 0xff;
  b[16] = tl0;
  b[17] = key ? 0x00 : 0x01; // VP8 payload header: P bit 0 on a keyframe
  return b;
}

function layer(owner: { publishedTrackClosed: () => void }, mid: string, ssrc: number): { track: PublishedTrack; inbound: FakeTrack } {
  const track = new PublishedTrack(
    owner,
    {
      id: `t${mid}`,
      peerId: 'alice',
      mid,
      kind: 'video',
      streamId: 's',
      trackId: 'cam',
      ssrc,
      codecs: [{ payloadType: 100, codec: VP8 }],
      rtcpSenderSsrc: 0x5eed,
    },
    config,
  );
  const inbound = new FakeTrack(mid);
  track.bind(inbound);
  return { track, inbound };
}

function setup() {
  const owner = { publishedTrackClosed: vi.fn() };
  const layers = [layer(owner, '2', 0x100), layer(owner, '1', 0x200), layer(owner, '0', 0x300)]; // low, medium, high
  const top = layers[2]!.track;
  top.setLayers([layers[0]!.track, layers[1]!.track]);
  const subOwner = {
    forwardedTrackClosed: vi.fn(),
    onRemb: vi.fn(),
    videoBitrateShare: 0,
    remb: 0,
    nackBudget: new NackBudget(config.nackRetransmitRatio, config.nackBurst, config.nackRepeatWindowMs),
  } satisfies ForwardedTrackOwner;
  const fwd = new ForwardedTrack(subOwner, 'sub', top, '0', 0xabc, false);
  const out = new FakeTrack('0');
  fwd.bind(out);
  fwd.negotiated([96]);
  const layerEvents: number[] = [];
  fwd.on('layerChanged', (l) => layerEvents.push(l));
  // Each layer numbers its own packets and pictures, with unrelated starting points.
  const state = [
    { seq: 1000, ts: 5_000, pic: 30_000, tl0: 250 },
    { seq: 40_000, ts: 900_000, pic: 7, tl0: 3 },
    { seq: 65_530, ts: 4_294_960_000, pic: 32_760, tl0: 90 },
  ];
  /** One frame (two packets) on every layer; `keyOn` layers send a keyframe. */
  const frame = (keyOn: number[] = []) => {
    for (let i = 0; i < 3; i++) {
      const s = state[i]!;
      const key = keyOn.includes(i);
      layers[i]!.inbound.deliver(vp8(layers[i]!.track.ssrc, s.seq & 0xffff, s.ts, s.pic & 0x7fff, s.tl0 & 0xff, key, true));
      layers[i]!.inbound.deliver(vp8(layers[i]!.track.ssrc, (s.seq + 1) & 0xffff, s.ts, s.pic & 0x7fff, s.tl0 & 0xff, key, false));
      s.seq += 2;
      s.ts += 3000;
      s.pic++;
      s.tl0++;
    }
  };
  return { layers, top, fwd, out, layerEvents, frame };
}

function checkContinuity(packets: Buffer[]): void {
  const f: Vp8Fields = { pictureIdOffset: -1, longPictureId: false, tl0PicIdxOffset: -1 };
  for (let i = 1; i < packets.length; i++) {
    const a = packets[i - 1]!;
    const b = packets[i]!;
    expect(readSsrc(b)).toBe(0xabc);
    expect((readSequenceNumber(b) - readSequenceNumber(a)) & 0xffff).toBe(1);
    const dts = (readTimestamp(b) - readTimestamp(a)) >>> 0;
    expect(dts < 0x80000000).toBe(true); // never backwards
    readVp8Fields(a, f);
    const pa = readPictureId(a, f.pictureIdOffset, f.longPictureId);
    const ta = a[f.tl0PicIdxOffset]!;
    readVp8Fields(b, f);
    const pb = readPictureId(b, f.pictureIdOffset, f.longPictureId);
    const tb = b[f.tl0PicIdxOffset]!;
    const sameFrame = (b[12]! & 0x10) === 0;
    expect((pb - pa) & 0x7fff).toBe(sameFrame ? 0 : 1);
    expect((tb - ta) & 0xff).toBe(sameFrame ? 0 : 1);
    if (sameFrame) expect(dts).toBe(0);
    else expect(dts).toBeGreaterThan(0);
  }
}

describe('simulcast forwarding', () => {
  it('starts on the top layer at its keyframe, switches down only at the target keyframe, continuous seq/ts/PictureID/TL0PICIDX', () => {
    const { layers, fwd, out, layerEvents, frame } = setup();
    frame(); // no keyframe yet: nothing forwarded
    expect(out.rtp()).toHaveLength(0);
    expect(layers[2]!.inbound.plis()).toBeGreaterThan(0); // asked the top layer for one at open
    frame([2]);
    frame();
    expect(layerEvents).toEqual([2]);
    expect(out.rtp()).toHaveLength(4);

    fwd.setPreferredLayer(0); // a small tile
    expect(layers[0]!.inbound.plis()).toBeGreaterThan(0);
    frame(); // still the top layer until the low layer's keyframe
    expect(fwd.layer).toBe(2);
    frame([0]);
    frame();
    expect(layerEvents).toEqual([2, 0]);
    expect(out.rtp()).toHaveLength(10);

    fwd.setPreferredLayer(2);
    frame([1]); // a medium keyframe is not the target
    frame([2]);
    frame();
    expect(layerEvents).toEqual([2, 0, 2]);
    checkContinuity(out.rtp());
    expect(fwd.getStats()).toMatchObject({ layer: 2, targetLayer: 2, layerSwitches: 3 });
  });

  it('answers NACKs from the layer forwarded now, rewritten like the live packets', () => {
    const { layers, fwd, out, frame } = setup();
    frame([2]);
    fwd.setPreferredLayer(1);
    frame([1]);
    frame();
    const sent = out.rtp();
    const lost = sent[sent.length - 1]!;
    const nack = Buffer.alloc(16);
    nack[0] = 0x81;
    nack[1] = 205;
    nack.writeUInt16BE(3, 2);
    nack.writeUInt32BE(0x1, 4);
    nack.writeUInt32BE(0xabc, 8);
    nack.writeUInt16BE(readSequenceNumber(lost), 12);
    out.deliver(nack);
    const resent = out.rtp().at(-1)!;
    expect(out.rtp()).toHaveLength(sent.length + 1);
    expect(resent.equals(lost)).toBe(true);
    expect(fwd.getStats().retransmitted).toBe(1);
    expect(layers[1]!.track.cache).not.toBeNull();
  });

  it('ends with its top layer, not with a lower one (that one is skipped); the lower layers end with the top', () => {
    const { layers, top, fwd } = setup();
    layers[0]!.track.close();
    expect(fwd.closed).toBe(false);
    fwd.setPreferredLayer(0); // the low encoding is gone: the lowest one left serves a small tile
    expect(fwd.getStats().targetLayer).toBe(1);
    top.close();
    expect(fwd.closed).toBe(true);
    expect(layers[1]!.track.closed).toBe(true);
  });
});
