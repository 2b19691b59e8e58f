import { describe, expect, it } from 'vitest';
import { NO_AUDIO_LEVEL, readAudioLevel } from './audioLevel.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// Opus packets laid out as Chromium sends them with the extmaps of fixtures/chromium-offer-camera.sdp
// (1 = ssrc-audio-level, 2 = abs-send-time, 3 = transport-cc, 4 = mid): fixed header, then 0xBEDE,
// length in words, elements "id<<4 | len-1" followed by their data, zero padding to a word.
const SPEECH = hex(
  '90 6f 1a 2b 00 01 e2 40 3e 1d 5a 07' + // V=2 X=1 PT=111 seq ts ssrc
    ' be de 00 03' + // one-byte profile, 3 words
    ' 10 96' + // id 1 len 1: V=1, level 22 (-22 dBov)
    ' 22 4c 8f 21' + // id 2 len 3: abs-send-time
    ' 31 00 05' + // id 3 len 2: transport-wide seq
    ' 40 30' + // id 4 len 1: mid "0"
    ' 00' + // padding
    ' fc ff fe', // Opus payload
);
const SILENCE = hex('90 6f 1a 2c 00 01 e6 20 3e 1d 5a 07 be de 00 02 10 7f 22 4c 90 11 31 00 06 fc ff fe');

describe('readAudioLevel (RFC 6464 in an RFC 8285 header extension)', () => {
  it('reads the level of a speech packet and of a silence packet', () => {
    expect(readAudioLevel(SPEECH, 1)).toBe(22);
    expect(readAudioLevel(SILENCE, 1)).toBe(127);
  });

  it('finds the element wherever it is among the others', () => {
    // mid first, padding, then the level (id 5 here)
    const p = hex('90 6f 00 01 00 00 00 01 00 00 00 01 be de 00 02 40 30 00 00 50 05 00 00 fc');
    expect(readAudioLevel(p, 5)).toBe(5);
  });

  it('reads the two-byte element form (RFC 8285 §4.3)', () => {
    const p = hex('90 6f 00 01 00 00 00 01 00 00 00 01 10 00 00 02 04 01 30 00 01 01 a8 00 fc');
    expect(readAudioLevel(p, 1)).toBe(40);
  });

  it('skips CSRCs', () => {
    const p = hex('91 6f 00 01 00 00 00 01 00 00 00 01 00 00 00 09 be de 00 01 10 0c 00 00 fc');
    expect(readAudioLevel(p, 1)).toBe(12);
  });

  it.each([
    ['no extension bit', '80 6f 00 01 00 00 00 01 00 00 00 01 fc ff'],
    ['other ids only', '90 6f 00 01 00 00 00 01 00 00 00 01 be de 00 01 40 30 00 00 fc'],
    ['extension longer than the packet', '90 6f 00 01 00 00 00 01 00 00 00 01 be de 00 04 10 10'],
    ['header cut before the extension header', '90 6f 00 01 00 00 00 01 00 00 00 01 be de'],
    ['reserved id 15 before the element', '90 6f 00 01 00 00 00 01 00 00 00 01 be de 00 01 f0 10 10 00'],
    ['an unknown profile', '90 6f 00 01 00 00 00 01 00 00 00 01 12 34 00 01 10 10 00 00'],
  ])('says none for %s', (_, bytes) => {
    expect(readAudioLevel(hex(bytes), 1)).toBe(NO_AUDIO_LEVEL);
  });

  it('says none when the extension id is not negotiated', () => {
    expect(readAudioLevel(SPEECH, 0)).toBe(NO_AUDIO_LEVEL);
    expect(readAudioLevel(SPEECH, 15)).toBe(NO_AUDIO_LEVEL);
  });
});
