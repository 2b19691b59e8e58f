import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { filterPublisherOffer } from './filterPublisherOffer.js';
import { getDirection, getMid, parseSdp, SdpError, serializeSdp } from './SessionDescription.js';

// Real offers captured from Chromium 156 (tests/e2e/media/capture-chromium-offers.mjs).
const CAMERA = readFileSync(new URL('./fixtures/chromium-offer-camera.sdp', import.meta.url), 'utf8');
const TWO_STREAMS = readFileSync(new URL('./fixtures/chromium-reoffer-two-streams.sdp', import.meta.url), 'utf8');

const section = (sdp: string, mid: string) => parseSdp(sdp).media.find((m) => getMid(m) === mid)!;

describe('parseSdp / serializeSdp', () => {
  it('round-trips a Chromium offer byte for byte', () => {
    expect(serializeSdp(parseSdp(CAMERA))).toBe(CAMERA);
    expect(serializeSdp(parseSdp(TWO_STREAMS))).toBe(TWO_STREAMS);
  });

  it.each([
    ['', 'empty'],
    ['hello', 'v=0'],
    ['v=0\r\nm=video nine UDP 96\r\n', 'm= line'],
    ['v=0\r\nthis is not sdp\r\n', 'malformed line'],
  ])('refuses %j', (text, message) => {
    expect(() => parseSdp(text)).toThrow(SdpError);
    expect(() => parseSdp(text)).toThrow(message);
  });
});

describe('filterPublisherOffer', () => {
  it('refuses an offer with more m-sections than allowed before parsing it', () => {
    const head = CAMERA.slice(0, CAMERA.indexOf('m='));
    const video = CAMERA.slice(CAMERA.indexOf('m=video'));
    const sections = Array.from({ length: 420 }, (_, i) => video.replace(/^a=mid:1$/m, `a=mid:${i}`)).join('');
    const offer = head + sections;
    expect(() => filterPublisherOffer(offer, { enableH264: false, maxSections: 16 })).toThrow(new SdpError('420 m-sections, at most 16 are accepted'));
    expect(filterPublisherOffer(CAMERA, { enableH264: false, maxSections: 2 }).sections).toHaveLength(2);
    expect(() => filterPublisherOffer(CAMERA, { enableH264: false, maxSections: 1 })).toThrow(SdpError);
  });

  it('keeps only Opus (with RED around it) and VP8 from a Chromium camera offer', () => {
    const { sdp, sections } = filterPublisherOffer(CAMERA, { enableH264: false });
    expect(sections.map((s) => [s.mid, s.kind, s.codecs.map((c) => `${c.payloadType}/${c.codec.name}`)])).toEqual([
      ['0', 'audio', ['111/opus', '63/red']],
      ['1', 'video', ['96/VP8']],
    ]);
    const video = section(sdp, '1');
    expect(video.formats).toEqual(['96']);
    expect(video.lines.filter((l) => /^a=(rtpmap|fmtp|rtcp-fb):/.test(l))).toEqual([
      'a=rtpmap:96 VP8/90000',
      'a=rtcp-fb:96 goog-remb',
      'a=rtcp-fb:96 ccm fir',
      'a=rtcp-fb:96 nack',
      'a=rtcp-fb:96 nack pli',
    ]);
    // RED first: libdatachannel answers in this order, and Chromium sends the first codec.
    expect(section(sdp, '0').formats).toEqual(['63', '111']);
    expect(section(sdp, '0').lines).toEqual(expect.arrayContaining(['a=rtpmap:63 red/48000/2', 'a=fmtp:63 111/111']));
  });

  it('keeps RED only around the kept Opus payload type', () => {
    const other = CAMERA.replace('a=fmtp:63 111/111', 'a=fmtp:63 111/9');
    expect(filterPublisherOffer(other, { enableH264: false }).sections[0]!.codecs.map((c) => c.codec.name)).toEqual(['opus']);
    const noOpus = CAMERA.replace(/^a=rtpmap:111 opus\/48000\/2\r\n/m, '');
    // RED alone is not forwardable: an active audio section left without Opus is refused.
    expect(() => filterPublisherOffer(noOpus, { enableH264: false })).toThrow(SdpError);
  });

  it('keeps the audio level extension of audio sections and reads its id', () => {
    const { sdp, sections } = filterPublisherOffer(CAMERA, { enableH264: false });
    expect(sections.map((s) => [s.kind, s.audioLevelExtId])).toEqual([
      ['audio', 1],
      ['video', 0],
    ]);
    expect(section(sdp, '0').lines).toContain('a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level');
    const renumbered = CAMERA.replace('a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level', 'a=extmap:9 urn:ietf:params:rtp-hdrext:ssrc-audio-level');
    expect(filterPublisherOffer(renumbered, { enableH264: false }).sections[0]!.audioLevelExtId).toBe(9);
    const without = CAMERA.replace(/^a=extmap:1 .*\r\n/m, '');
    expect(filterPublisherOffer(without, { enableH264: false }).sections[0]!.audioLevelExtId).toBe(0);
  });

  it('drops transport-cc, RTX/FEC SSRCs and groups', () => {
    const { sdp } = filterPublisherOffer(CAMERA, { enableH264: false });
    expect(sdp).not.toContain('transport-cc');
    expect(sdp).not.toContain('transport-wide-cc');
    expect(sdp).not.toContain('ssrc-group');
    expect(sdp).not.toContain('a=ssrc:275281283'); // the RTX SSRC of the FID group
    expect(sdp).toContain('a=ssrc:2691664866 cname:');
    expect(sdp).not.toMatch(/rtx|red\/90000|ulpfec|VP9|AV1|H264|PCMU|telephone-event/);
  });

  it('maps mid → msid → primary SSRC', () => {
    const { sections } = filterPublisherOffer(TWO_STREAMS, { enableH264: false });
    expect(sections.map(({ mid, streamId, trackId, ssrc, active }) => ({ mid, streamId, trackId, ssrc, active }))).toEqual([
      { mid: '0', streamId: 'c8f257c5-83dd-4e1d-a5ee-687f1a0e16e7', trackId: '5d103d22-e401-4ee5-9b69-bf22dd57fd4b', ssrc: 3958800154, active: true },
      { mid: '1', streamId: 'c8f257c5-83dd-4e1d-a5ee-687f1a0e16e7', trackId: 'c88f7661-fa1b-4b21-940f-d5e9f0f1495e', ssrc: 2691664866, active: true },
      { mid: '2', streamId: '547276de-cc8b-4462-a020-9ada5d4c8da5', trackId: '8a519860-0dea-4e5c-b55e-b7cba88c5729', ssrc: 4172658019, active: true },
    ]);
  });

  it('rewrites sendrecv → sendonly and recvonly → inactive (the re-offer direction trap)', () => {
    const sendrecv = CAMERA.replace(/a=sendonly/g, 'a=sendrecv');
    const out = filterPublisherOffer(sendrecv, { enableH264: false });
    for (const m of parseSdp(out.sdp).media) expect(getDirection(m)).toBe('sendonly');
    expect(out.sections.every((s) => s.active)).toBe(true);

    const stopped = CAMERA.replace('a=sendonly', 'a=recvonly'); // first (audio) section only
    const out2 = filterPublisherOffer(stopped, { enableH264: false });
    expect(getDirection(section(out2.sdp, '0'))).toBe('inactive');
    expect(out2.sections[0]!.active).toBe(false);
    expect(out2.sections[1]!.active).toBe(true);
  });

  it('treats an inactive or port-0 section as not sending', () => {
    const inactive = CAMERA.replace('a=sendonly', 'a=inactive');
    expect(filterPublisherOffer(inactive, { enableH264: false }).sections[0]!.active).toBe(false);
    const stopped = CAMERA.replace('m=audio 9 ', 'm=audio 0 ');
    expect(filterPublisherOffer(stopped, { enableH264: false }).sections[0]!.active).toBe(false);
  });

  it('keeps one H.264 constrained-baseline packetization-mode-1 payload type when enabled, after VP8', () => {
    const { sections, sdp } = filterPublisherOffer(CAMERA, { enableH264: true });
    expect(sections[1]!.codecs.map((c) => `${c.payloadType}/${c.codec.name}`)).toEqual(['96/VP8', '108/H264']);
    expect(sdp).toContain('a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f');
    expect(sdp).not.toContain('a=rtpmap:102 ');
  });

  it('refuses an active section with nothing forwardable', () => {
    const vp9only = CAMERA.replace(/a=rtpmap:96 VP8\/90000/, 'a=rtpmap:96 VP9/90000');
    expect(() => filterPublisherOffer(vp9only, { enableH264: false })).toThrow(/no forwardable codec/);
  });

  it('refuses sections without mid and duplicate mids', () => {
    expect(() => filterPublisherOffer(CAMERA.replace('a=mid:1\r\n', ''), { enableH264: false })).toThrow(/without a=mid/);
    expect(() => filterPublisherOffer(CAMERA.replace('a=mid:1\r\n', 'a=mid:0\r\n'), { enableH264: false })).toThrow(/duplicate mid/);
  });

  it('drops simulcast lines', () => {
    const simulcast = CAMERA.replace('a=mid:1\r\n', 'a=mid:1\r\na=rid:h send\r\na=rid:l send\r\na=simulcast:send h;l\r\n');
    const { sdp } = filterPublisherOffer(simulcast, { enableH264: false });
    expect(sdp).not.toMatch(/a=rid|a=simulcast/);
  });
});
