import { describe, expect, it } from 'vitest';
import { isH264KeyframeStart, isVp8KeyframeStart } from './keyframe.js';

function rtp(payload: number[], { extension = false } = {}): Buffer {
  const header = [0x80 | (extension ? 0x10 : 0), 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];
  const ext = extension ? [0xbe, 0xde, 0, 1, 0x10, 0xff, 0, 0] : [];
  return Buffer.from([...header, ...ext, ...payload]);
}

describe('VP8 keyframe detection (RFC 7741)', () => {
  it('sees a keyframe start with a 15-bit PictureID (what Chromium sends)', () => {
    // X=1 S=1 PID=0 | I=1 | M=1 PictureID | payload header with P=0
    expect(isVp8KeyframeStart(rtp([0x90, 0x80, 0x81, 0x23, 0x10, 0x02, 0x00]))).toBe(true);
    expect(isVp8KeyframeStart(rtp([0x90, 0x80, 0x81, 0x23, 0x11, 0x02, 0x00]))).toBe(false); // P=1: interframe
  });

  it('handles a minimal descriptor and a header extension', () => {
    expect(isVp8KeyframeStart(rtp([0x10, 0x10], { extension: true }))).toBe(true);
  });

  it('ignores continuation packets and later partitions', () => {
    expect(isVp8KeyframeStart(rtp([0x00, 0x10]))).toBe(false); // S=0
    expect(isVp8KeyframeStart(rtp([0x11, 0x10]))).toBe(false); // PID=1
  });

  it('walks TL0PICIDX and TID/KEYIDX bytes', () => {
    // X=1 S=1 | I=1 L=1 T=1 | PictureID 7 bits | TL0PICIDX | TID | payload P=0
    expect(isVp8KeyframeStart(rtp([0x90, 0xe0, 0x05, 0x01, 0x20, 0x50]))).toBe(true);
  });

  it('does not read past a truncated packet', () => {
    expect(isVp8KeyframeStart(rtp([0x90, 0x80]))).toBe(false);
  });
});

describe('H.264 keyframe detection (RFC 6184)', () => {
  it('sees IDR and SPS single NAL units', () => {
    expect(isH264KeyframeStart(rtp([0x65, 0x88]))).toBe(true);
    expect(isH264KeyframeStart(rtp([0x67, 0x42]))).toBe(true);
    expect(isH264KeyframeStart(rtp([0x41, 0x9a]))).toBe(false);
  });

  it('sees an SPS inside a STAP-A and an IDR FU-A start', () => {
    expect(isH264KeyframeStart(rtp([0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xce]))).toBe(true);
    expect(isH264KeyframeStart(rtp([0x7c, 0x85, 0x88]))).toBe(true);
    expect(isH264KeyframeStart(rtp([0x7c, 0x05, 0x88]))).toBe(false); // not the start
  });
});
