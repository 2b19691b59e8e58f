import { describe, expect, it } from 'vitest';
import { audioMos, roundMos, videoMos } from './mos.js';
import { readReceived, readSent, type StatsEntry } from './rtpStats.js';
import { StreamStatsTracker } from './StreamStatsTracker.js';

/** A receiver's report (inbound-rtp, transport, selected pair) at time `t` (ms). */
function inbound(t: number, kind: 'audio' | 'video', c: { bytes: number; packets: number; lost: number; frames?: number }): Map<string, StatsEntry> {
  const entries: StatsEntry[] = [
    {
      id: 'IT1',
      type: 'inbound-rtp',
      timestamp: t,
      kind,
      bytesReceived: c.bytes,
      packetsReceived: c.packets,
      packetsLost: c.lost,
      jitter: 0.01,
      nackCount: 2,
      codecId: 'C1',
      ...(kind === 'video' ? { framesDecoded: c.frames ?? 0, frameWidth: 640, frameHeight: 480, packetsDiscarded: 1, pliCount: 3, firCount: 0 } : {}),
    },
    { id: 'C1', type: 'codec', timestamp: t, mimeType: kind === 'video' ? 'video/VP8' : 'audio/opus' },
    { id: 'T1', type: 'transport', timestamp: t, selectedCandidatePairId: 'CP1' },
    { id: 'CP1', type: 'candidate-pair', timestamp: t, currentRoundTripTime: 0.1 },
  ];
  return new Map(entries.map((e) => [e.id, e]));
}

describe('StreamStatsTracker', () => {
  it('reports nothing on the first sample, then rates over the interval and MOS for a received stream', () => {
    const tracker = new StreamStatsTracker('received');
    const first = { audio: readReceived(inbound(1_000, 'audio', { bytes: 0, packets: 0, lost: 0 })) };
    expect(tracker.update(first, 1_000)).toBeNull();
    // 2 s later: 10 000 bytes (40 kbit/s), 95 packets received and 5 lost (5 % loss).
    const second = { audio: readReceived(inbound(3_000, 'audio', { bytes: 10_000, packets: 95, lost: 5 })) };
    const stats = tracker.update(second, 3_000);
    expect(stats?.audioReceived).toMatchObject({
      kind: 'audio',
      type: 'inbound-rtp',
      bitsReceivedPerSecond: 40_000,
      packetsReceivedPerSecond: 47.5,
      packetsLostPerSecond: 2.5,
      packetLossRatio: 0.05,
      jitter: 10,
      delay: 100,
      samplingInterval: 2000,
      timestamp: 3,
    });
    // RTT 100 ms, jitter 10 ms, 5 % loss: the reference case of mos.test.ts.
    expect(stats?.quality).toEqual({
      mosS: roundMos(audioMos({ rttMs: 100, jitterMs: 10, lossRatio: 0.05 })),
      mosV: 'NoStream',
      mosSS: 'NoStream',
      mosSV: 'NoStream',
      mosAV: 3.68,
    });
    expect(stats?.videoReceived).toBeUndefined();
  });

  it('computes frame rate, bit-rate spread and the video MOS of a received video', () => {
    const tracker = new StreamStatsTracker('received');
    tracker.update({ video: readReceived(inbound(0, 'video', { bytes: 0, packets: 0, lost: 0, frames: 0 })) }, 0);
    const s1 = tracker.update({ video: readReceived(inbound(1_000, 'video', { bytes: 125_000, packets: 100, lost: 0, frames: 30 })) }, 1_000);
    expect(s1?.videoReceived).toMatchObject({
      bitsReceivedPerSecond: 1e6,
      framesDecodedPerSecond: 30,
      width: 640,
      height: 480,
      bitrateMean: 1e6,
      bitrateStdDev: 0,
    });
    expect(s1?.videoCodec).toBe('VP8');
    expect(s1?.quality.mosV).toBe(roundMos(videoMos({ width: 640, height: 480, frameRate: 30, bitRate: 1e6, lossRatio: 0 })));
    expect(s1?.quality.mosS).toBe('NoStream');
    const s2 = tracker.update({ video: readReceived(inbound(2_000, 'video', { bytes: 125_000 + 375_000, packets: 400, lost: 0, frames: 60 })) }, 2_000);
    // Bit rates 1 and 3 Mbit/s: mean 2, population deviation 1.
    expect(s2?.videoReceived).toMatchObject({ bitrateMean: 2e6, bitrateStdDev: 1e6, framerateMean: 30 });
  });

  it('reads a sent stream from outbound-rtp and its remote-inbound-rtp', () => {
    const report = (t: number, bytes: number, packets: number, lost: number): Map<string, StatsEntry> =>
      new Map(
        [
          { id: 'OT1', type: 'outbound-rtp', timestamp: t, kind: 'audio', bytesSent: bytes, packetsSent: packets, nackCount: 0 },
          { id: 'RI1', type: 'remote-inbound-rtp', timestamp: t, localId: 'OT1', packetsLost: lost, roundTripTime: 0.6, jitter: 0.03, fractionLost: 0 },
        ].map((e) => [e.id, e as StatsEntry]),
      );
    const tracker = new StreamStatsTracker('sent');
    tracker.update({ audio: readSent(report(0, 0, 0, 0)) }, 0);
    const stats = tracker.update({ audio: readSent(report(1_000, 5_000, 50, 0)) }, 1_000);
    expect(stats?.audioSent).toMatchObject({
      type: 'outbound-rtp',
      bitsSentPerSecond: 40_000,
      packetsSentPerSecond: 50,
      delay: 600,
      packetLossRatio: 0,
      remoteId: 'RI1',
    });
    // RTT 600, jitter 30, no loss: the high-delay reference of mos.test.ts (3.147).
    expect(stats?.quality).toMatchObject({ mosSS: 3.15, mosSV: 'NoStream', mosSAV: 3.15, mosS: 'NoStream', mosV: 'NoStream' });
  });

  it('returns null before any RTP stats exist', () => {
    expect(readReceived(new Map())).toBeNull();
    expect(readSent(new Map())).toBeNull();
    const tracker = new StreamStatsTracker('sent');
    expect(tracker.update({ audio: null, video: null }, 0)).toBeNull();
    expect(tracker.update({ audio: null, video: null }, 1)).toBeNull();
  });
});
