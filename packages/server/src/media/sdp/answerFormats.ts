import { TRANSPORT_CC_EXT_ID, TRANSPORT_CC_URI } from '../bwe/transportCc.js';
import { getCodecs, getMid, parseSdp } from './SessionDescription.js';

/** Accepted payload types per mid, and whether each m-section is rejected (port 0). */
export interface AnswerSection {
  mid: string;
  rejected: boolean;
  payloadTypes: number[];
  /** Whether it kept the SFU's transport-cc header extension (with the id offered). */
  transportCc: boolean;
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
    transportCc: m.lines.some((l) => l.startsWith(`a=extmap:${TRANSPORT_CC_EXT_ID} `) && l.trimEnd().endsWith(` ${TRANSPORT_CC_URI}`)),
  }));
}
