import { describe, expect, test } from 'vitest';
import type { CallStats } from '../../quality/callStats.js';
import { mergeCallStats } from './CallQuality.js';

const block = { delay: 12, nackCount: 0, packetLossRatio: 0, remoteId: 'R', samplingInterval: 1000, timestamp: 1 };

const sent: CallStats = {
  audioSent: {
    ...block,
    kind: 'audio',
    mediaType: 'audio',
    type: 'outbound-rtp',
    bitsSentPerSecond: 32_000,
    bytesSent: 4_000,
    packetsSent: 50,
    packetsSentPerSecond: 50,
  },
  quality: { mosS: 'NoStream', mosV: 'NoStream', mosSS: 4.3, mosSV: 'NoStream', mosSAV: 'NoStream' },
  videoCodec: 'H264',
};

const received: CallStats = {
  audioReceived: {
    ...block,
    kind: 'audio',
    mediaType: 'audio',
    type: 'inbound-rtp',
    bitsReceivedPerSecond: 31_000,
    bytesReceived: 3_900,
    jitter: 2,
    packetsLost: 1,
    packetsLostPerSecond: 1,
    packetsReceived: 49,
    packetsReceivedPerSecond: 49,
  },
  quality: { mosS: 4.1, mosV: 3.2, mosSS: 'NoStream', mosSV: 'NoStream', mosAV: 3.6 },
  videoCodec: 'VP8',
};

describe('mergeCallStats', () => {
  test('one report with both directions: sent MOS from the sent side, received MOS from the received side', () => {
    const merged = mergeCallStats(sent, received);
    expect(merged?.audioSent).toBe(sent.audioSent);
    expect(merged?.audioReceived).toBe(received.audioReceived);
    expect(merged?.quality).toEqual({ mosS: 4.1, mosV: 3.2, mosSS: 4.3, mosSV: 'NoStream', mosSAV: 'NoStream', mosAV: 3.6 });
    // What the local user sees decides the codec.
    expect(merged?.videoCodec).toBe('VP8');
  });

  test('a one-way call reports NoStream for the other direction; nothing before two samples', () => {
    expect(mergeCallStats(sent, null)).toEqual({
      audioSent: sent.audioSent,
      quality: { mosS: 'NoStream', mosV: 'NoStream', mosSS: 4.3, mosSV: 'NoStream', mosSAV: 'NoStream' },
      videoCodec: 'H264',
    });
    const only = mergeCallStats(null, received);
    expect(only?.quality).toEqual({ mosS: 4.1, mosV: 3.2, mosSS: 'NoStream', mosSV: 'NoStream', mosAV: 3.6 });
    expect(only && 'audioSent' in only).toBe(false);
    expect(mergeCallStats(null, null)).toBeNull();
  });
});
