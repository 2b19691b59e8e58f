import { getCodecs, getMid, parseSdp } from './SessionDescription.js';

/** Accepted payload types per mid, and whether each m-section is rejected (port 0). */
export interface AnswerSection {
  mid: string;
  rejected: boolean;
  payloadTypes: number[];
}

/**
 * Reads a subscriber's answer to an SFU offer: which payload types it accepted for each mid
 * (RFC 8829 §5.3.1: the answer lists the subset it supports). Throws SdpError on a bad SDP.
 */
export function readAnswerSections(sdp: string): AnswerSection[] {
  const desc = parseSdp(sdp);
  return desc.media.map((m) => ({
    mid: getMid(m) ?? '',
    rejected: m.port === 0,
    payloadTypes: getCodecs(m).map((c) => c.payloadType),
  }));
}
