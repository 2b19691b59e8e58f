import { describe, expect, it } from 'vitest';
import { NO_AUDIO_LEVEL, readAudioLevel } from './audioLevel.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RTP headers of Opus packets captured on this machine's loopback while e2e tests ran with
// Chromium 156 (SRTP leaves the header and its extensions in the clear), payload cut off.
// Chromium sends the audio level (id 1 as negotiated) alone in a one-byte block: 0x8a is V=1 and
// -10 dBov (the tone), 0xff is V=1 and -127 dBov (silence).
const SPEECH = hex('906f69a7160159e01e8dfea4 bede0001 108a0000');
const SILENCE = hex('906f69a5160152601e8dfea4 bede0001 10ff0000');
// Another flow of the same capture: the level, then mid (id 4, "0").
const WITH_MID = hex('906f022c0008214069332182 bede0001 108a4030');

describe('readAudioLevel (RFC 6464 in an RFC 8285 header extension)', () => {
  it('reads the level of a speech packet and of a silence packet', () => {
    expect(readAudioLevel(SPEECH, 1)).toBe(10);
    expect(readAudioLevel(SILENCE, 1)).toBe(127);
    expect(readAudioLevel(WITH_MID, 1)).toBe(10);
    expect(readAudioLevel(WITH_MID, 4)).toBe(0x30); // the mid byte read as a level: the id decides
    expect(readAudioLevel(WITH_MID, 2)).toBe(NO_AUDIO_LEVEL);
  });

  // Constructed layouts below (RFC 8285 allows them; Chromium's packets above do not use them).
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
