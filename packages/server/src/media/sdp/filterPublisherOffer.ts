import { matchForwardedCodec, type ForwardedCodec, type MediaKind } from '../codecs.js';
import {
  getCodecs,
  getDirection,
  getMid,
  getMsid,
  getPrimarySsrcs,
  parseSdp,
  SdpError,
  serializeSdp,
  setDirection,
  type MediaSection,
  type RtpCodec,
} from './SessionDescription.js';

/** What a publisher's m-section carries, as the SFU will receive it. */
export interface PublishedSection {
  mid: string;
  kind: MediaKind;
  /** True when the publisher sends on it (sendonly after rewrite, port ≠ 0, an SSRC). */
  active: boolean;
  /** msid stream id (RFC 8830): the apiRTC stream this track belongs to. */
  streamId: string;
  /** msid track id. */
  trackId: string;
  /** Primary SSRC (RTX/FEC SSRCs are dropped), 0 if none. */
  ssrc: number;
  /** Kept codecs: publisher payload type → forwarded codec, in offer order. */
  codecs: { payloadType: number; codec: ForwardedCodec }[];
  /** Id of the RFC 6464 audio level header extension (audio, when offered), else 0. */
  audioLevelExtId: number;
}

/** Result of {@link filterPublisherOffer}. */
export interface FilteredOffer {
  /** The offer to hand to libdatachannel (it answers by echoing it). */
  sdp: string;
  sections: PublishedSection[];
}

const TRANSPORT_CC = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
/** RFC 6464: kept in the answer (libdatachannel echoes the offer's extmaps) for dominant speaker detection. */
export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/**
 * Prepares a publisher's (re-)offer for libdatachannel, which answers by echoing the offer:
 *
 * - keeps only forwarded codecs (Opus, and RED around it, listed first so that Chromium sends
 *   it; VP8; H.264 constrained baseline if enabled) and drops RTX, ULPFEC and the rest with
 *   their rtpmap/fmtp/rtcp-fb lines;
 * - drops transport-cc (its rtcp-fb and header extension): the SFU answers it with nothing, and a
 *   negotiated-but-silent transport-cc collapses Chromium's send estimate; REMB drives it instead;
 * - drops the RTX/FEC SSRCs (libdatachannel routes inbound RTP by SSRC) and simulcast lines;
 * - rewrites directions `sendrecv`→`sendonly`, `recvonly`→`inactive`: libdatachannel answers a
 *   re-offer with the directions of its previous answer, and Chromium rejects an answer whose
 *   direction does not fit ("Incompatible send direction").
 *
 * Throws {@link SdpError} when the text is not an SDP, has more than `maxSections` m-sections,
 * a media section has no mid, or an active audio/video section offers no forwardable codec.
 */
export function filterPublisherOffer(sdp: string, options: { enableH264: boolean; maxSections?: number }): FilteredOffer {
  // Counted on the raw text, before any parsing: a 420-section offer costs one regex scan.
  const max = options.maxSections ?? Infinity;
  const sectionCount = countMediaSections(sdp);
  if (sectionCount > max) throw new SdpError(`${sectionCount} m-sections, at most ${max} are accepted`);
  const desc = parseSdp(sdp);
  if (desc.media.length === 0) throw new SdpError('no media section');
  const sections: PublishedSection[] = [];
  const mids = new Set<string>();
  for (const m of desc.media) {
    const mid = getMid(m);
    if (mid === undefined || mid === '') throw new SdpError(`m=${m.kind} section without a=mid (BUNDLE needs one)`);
    if (mids.has(mid)) throw new SdpError(`duplicate mid "${mid}"`);
    mids.add(mid);
    if (m.kind !== 'audio' && m.kind !== 'video') continue; // data channels etc. stay as offered
    sections.push(filterSection(m, mid, m.kind, options.enableH264));
  }
  return { sdp: serializeSdp(desc), sections };
}

function filterSection(m: MediaSection, mid: string, kind: MediaKind, enableH264: boolean): PublishedSection {
  const kept = new Map<number, ForwardedCodec>();
  const codecs: PublishedSection['codecs'] = [];
  let h264Kept = false;
  for (const c of getCodecs(m)) {
    const codec = matchForwardedCodec(kind, c, enableH264);
    if (!codec) continue;
    if (codec.name === 'H264') {
      if (h264Kept) continue; // one H.264 payload type is enough
      h264Kept = true;
    }
    if (codec.name === 'VP8' && codecs.some((k) => k.codec.name === 'VP8')) continue;
    kept.set(c.payloadType, codec);
    codecs.push({ payloadType: c.payloadType, codec });
  }
  keepRedAroundOpus(getCodecs(m), kept, codecs);
  if (codecs.length === 0) {
    if (m.port !== 0) throw new SdpError(`m=${kind} mid ${mid} offers no forwardable codec (Opus, VP8${enableH264 ? ', H.264' : ''})`);
    return { mid, kind, active: false, streamId: '', trackId: '', ssrc: 0, codecs, audioLevelExtId: 0 };
  }

  const secondary = new Set<string>();
  for (const line of m.lines) {
    const g = /^a=ssrc-group:(?:FID|FEC-FR) (.*)$/.exec(line);
    if (g) for (const s of g[1]!.trim().split(/\s+/).slice(1)) secondary.add(s);
  }
  const droppedExt = new Set<string>();
  let audioLevelExtId = 0;
  const lines: string[] = [];
  for (const line of m.lines) {
    const pt = /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+|\*)(?: (.*))?$/.exec(line);
    if (pt) {
      if (pt[1] !== '*' && !kept.has(Number(pt[1]))) continue;
      if (line.startsWith('a=rtcp-fb:') && (pt[2] ?? '').trim() === 'transport-cc') continue;
      lines.push(line);
      continue;
    }
    const ext = /^a=extmap:(\d+)(?:\/\w+)? (\S+)/.exec(line);
    if (ext && ext[2] === TRANSPORT_CC) {
      droppedExt.add(ext[1]!);
      continue;
    }
    if (ext && ext[2] === AUDIO_LEVEL_URI && kind === 'audio') audioLevelExtId = Number(ext[1]);
    if (/^a=ssrc-group:(?:FID|FEC-FR) /.test(line)) continue;
    const ssrc = /^a=ssrc:(\d+) /.exec(line);
    if (ssrc && secondary.has(ssrc[1]!)) continue;
    if (line.startsWith('a=rid:') || line.startsWith('a=simulcast:')) continue;
    lines.push(line);
  }
  m.lines = lines;
  // RED first in the answer (libdatachannel echoes this order): Chromium then sends it.
  m.formats = [...codecs.filter((c) => c.codec.name === 'red'), ...codecs.filter((c) => c.codec.name !== 'red')].map((c) => String(c.payloadType));

  const direction = getDirection(m);
  const rewritten = direction === 'sendrecv' ? 'sendonly' : direction === 'recvonly' ? 'inactive' : direction;
  if (rewritten !== direction) setDirection(m, rewritten);

  const msid = getMsid(m);
  const ssrc = getPrimarySsrcs(m)[0] ?? 0;
  return {
    mid,
    kind,
    active: m.port !== 0 && rewritten === 'sendonly' && ssrc !== 0,
    streamId: msid?.streamId ?? '',
    trackId: msid?.trackId ?? '',
    ssrc,
    codecs,
    audioLevelExtId,
  };
}

/** Number of `m=` lines of a description (its m-sections). */
function countMediaSections(sdp: string): number {
  let n = sdp.startsWith('m=') ? 1 : 0;
  for (let i = sdp.indexOf('\nm='); i >= 0; i = sdp.indexOf('\nm=', i + 3)) n++;
  return n;
}

/**
 * Keeps at most one RED payload type, and only one whose every block is the kept Opus payload
 * type (fmtp `111/111`): the SFU unwraps RED for subscribers and recordings that do not take it,
 * which needs the primary block to be that Opus. Opus stays first in `codecs` (the track's codec).
 */
function keepRedAroundOpus(offered: readonly RtpCodec[], kept: Map<number, ForwardedCodec>, codecs: PublishedSection['codecs']): void {
  const opus = codecs.find((c) => c.codec.name === 'opus');
  let redKept = false;
  for (let i = codecs.length - 1; i >= 0; i--) {
    const c = codecs[i]!;
    if (c.codec.name !== 'red') continue;
    const blocks = (offered.find((o) => o.payloadType === c.payloadType)?.fmtp ?? '').split('/');
    if (redKept || opus === undefined || blocks.length === 0 || !blocks.every((b) => Number(b) === opus.payloadType)) {
      kept.delete(c.payloadType);
      codecs.splice(i, 1);
    } else {
      redKept = true;
    }
  }
  codecs.sort((a, b) => Number(a.codec.name === 'red') - Number(b.codec.name === 'red'));
}
