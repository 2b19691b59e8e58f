import { parseFmtp, type RtpCodec } from './sdp/SessionDescription.js';

/** Media kinds the SFU forwards. */
export type MediaKind = 'audio' | 'video';

/**
 * A codec the SFU forwards, and the payload type it carries towards subscribers (the SFU writes
 * the subscriber offers, so it picks their payload types; publisher payload types are mapped to
 * these per packet by the RTP rewriter).
 */
export interface ForwardedCodec {
  readonly name: 'VP8' | 'H264' | 'opus' | 'red';
  readonly kind: MediaKind;
  readonly clockRate: number;
  /** Payload type in subscriber offers (libdatachannel's `add*Codec` defaults go with these). */
  readonly subscriberPayloadType: number;
}

export const VP8: ForwardedCodec = { name: 'VP8', kind: 'video', clockRate: 90000, subscriberPayloadType: 96 };
/** H.264 constrained baseline, packetization-mode 1, profile-level-id 42e01f (RFC 6184 §8.1). */
export const H264: ForwardedCodec = { name: 'H264', kind: 'video', clockRate: 90000, subscriberPayloadType: 102 };
export const OPUS: ForwardedCodec = { name: 'opus', kind: 'audio', clockRate: 48000, subscriberPayloadType: 111 };
/**
 * Redundant audio (RFC 2198) around Opus, as Chromium offers it (`red/48000/2`, fmtp `111/111`):
 * each packet also carries the previous frame, so one lost packet costs no audio. Forwarded as
 * is to subscribers that accept it; the others get the primary Opus frame alone.
 */
export const RED: ForwardedCodec = { name: 'red', kind: 'audio', clockRate: 48000, subscriberPayloadType: 63 };

/** Codecs offered to subscribers for a kind, in preference order. */
export function subscriberCodecs(kind: MediaKind, enableH264: boolean): readonly ForwardedCodec[] {
  if (kind === 'audio') return [OPUS, RED];
  return enableH264 ? [VP8, H264] : [VP8];
}

/**
 * The forwarded codec an offered `a=rtpmap` stands for, or undefined when the SFU does not
 * forward it (RTX, ULPFEC, VP9, AV1, G.711, …). RED counts only around the kept Opus payload
 * type (checked by the caller, which knows it). H.264 is accepted only as constrained
 * baseline with packetization-mode 1, the profile every browser decodes.
 */
export function matchForwardedCodec(kind: string, codec: RtpCodec, enableH264: boolean): ForwardedCodec | undefined {
  const name = codec.name.toLowerCase();
  if (kind === 'audio') {
    if (codec.clockRate !== 48000) return undefined;
    return name === 'opus' ? OPUS : name === 'red' ? RED : undefined;
  }
  if (kind !== 'video' || codec.clockRate !== 90000) return undefined;
  if (name === 'vp8') return VP8;
  if (name === 'h264' && enableH264) {
    const p = parseFmtp(codec.fmtp);
    const profile = (p.get('profile-level-id') ?? '').toLowerCase();
    if (p.get('packetization-mode') === '1' && profile.startsWith('42e0')) return H264;
  }
  return undefined;
}
