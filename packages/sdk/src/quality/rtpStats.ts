/*
 * Reading the RTCStatsReport of one RTCRtpSender or RTCRtpReceiver (W3C webrtc-stats) into the
 * cumulative figures {@link StreamStatsTracker} turns into rates. Pure functions over plain
 * objects, so they are unit-tested without a browser.
 */

/** One entry of an RTCStatsReport, read loosely (browsers differ in which members they fill). */
export type StatsEntry = { readonly id: string; readonly type: string; readonly timestamp: number } & { readonly [key: string]: unknown };

/** Cumulative figures of one RTP stream at one instant. */
export interface RtpSample {
  kind: 'audio' | 'video';
  /** ms, from the RTP stats entry. */
  timestamp: number;
  bytes: number;
  packets: number;
  /** Packets lost: reported by the receiver (sent side: its RTCP receiver reports). */
  packetsLost: number;
  /** Loss fraction of the last RTCP receiver report (sent side only), 0..1. */
  fractionLost: number | undefined;
  nackCount: number;
  pliCount: number;
  firCount: number;
  /** Frames encoded (sent) or decoded (received). */
  frames: number;
  /** Frames the capture delivered but the encoder dropped (sent), or dropped before display (received). */
  framesDropped: number;
  qpSum: number;
  packetsDiscarded: number;
  width: number | undefined;
  height: number | undefined;
  framesPerSecond: number | undefined;
  /** Interarrival jitter in ms (received: measured here; sent: from the receiver's reports). */
  jitterMs: number | undefined;
  /** Round-trip time in ms (RTCP for sent streams, else the ICE candidate pair). */
  rttMs: number | undefined;
  /** Id of the matching remote stats entry. */
  remoteId: string;
  /** Codec MIME subtype, e.g. `VP8` or `opus`. */
  codec: string | undefined;
}

const num = (e: StatsEntry | undefined, key: string): number | undefined => {
  const v = e?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
const str = (e: StatsEntry | undefined, key: string): string | undefined => {
  const v = e?.[key];
  return typeof v === 'string' ? v : undefined;
};

/** The entries of a report, by id. */
export function entriesOf(report: { forEach(cb: (value: StatsEntry) => void): void }): Map<string, StatsEntry> {
  const out = new Map<string, StatsEntry>();
  report.forEach((e) => {
    if (e && typeof e.id === 'string') out.set(e.id, e);
  });
  return out;
}

/** The selected ICE candidate pair's round trip, in ms. */
function transportRttMs(entries: Map<string, StatsEntry>): number | undefined {
  let pair: StatsEntry | undefined;
  for (const e of entries.values()) {
    if (e.type === 'transport') {
      const selected = str(e, 'selectedCandidatePairId');
      if (selected) pair = entries.get(selected);
    }
  }
  if (!pair) for (const e of entries.values()) if (e.type === 'candidate-pair' && e['nominated'] === true && e['state'] === 'succeeded') pair = e;
  const rtt = num(pair, 'currentRoundTripTime');
  return rtt === undefined ? undefined : rtt * 1000;
}

function codecName(entries: Map<string, StatsEntry>, rtp: StatsEntry): string | undefined {
  const mime = str(entries.get(str(rtp, 'codecId') ?? ''), 'mimeType');
  return mime?.split('/')[1];
}

/** The `outbound-rtp` of a sender's report (with its `remote-inbound-rtp`), or null before media flows. */
export function readSent(entries: Map<string, StatsEntry>): RtpSample | null {
  const rtp = [...entries.values()].find((e) => e.type === 'outbound-rtp');
  if (!rtp) return null;
  const kind = rtp['kind'] === 'video' ? 'video' : 'audio';
  const remote = [...entries.values()].find((e) => e.type === 'remote-inbound-rtp' && e['localId'] === rtp.id);
  const source = entries.get(str(rtp, 'mediaSourceId') ?? '');
  const framesEncoded = num(rtp, 'framesEncoded') ?? 0;
  const captured = num(source, 'frames');
  const rtcpRtt = num(remote, 'roundTripTime');
  const jitter = num(remote, 'jitter');
  return {
    kind,
    timestamp: rtp.timestamp,
    bytes: num(rtp, 'bytesSent') ?? 0,
    packets: num(rtp, 'packetsSent') ?? 0,
    packetsLost: Math.max(0, num(remote, 'packetsLost') ?? 0),
    fractionLost: num(remote, 'fractionLost'),
    nackCount: num(rtp, 'nackCount') ?? 0,
    pliCount: num(rtp, 'pliCount') ?? 0,
    firCount: num(rtp, 'firCount') ?? 0,
    frames: framesEncoded,
    framesDropped: captured === undefined ? 0 : Math.max(0, captured - framesEncoded),
    qpSum: num(rtp, 'qpSum') ?? 0,
    packetsDiscarded: 0,
    width: num(rtp, 'frameWidth'),
    height: num(rtp, 'frameHeight'),
    framesPerSecond: num(rtp, 'framesPerSecond'),
    jitterMs: jitter === undefined ? undefined : jitter * 1000,
    rttMs: rtcpRtt !== undefined ? rtcpRtt * 1000 : transportRttMs(entries),
    remoteId: remote?.id ?? str(rtp, 'remoteId') ?? '',
    codec: codecName(entries, rtp),
  };
}

/** The `inbound-rtp` of a receiver's report, or null before media arrives. */
export function readReceived(entries: Map<string, StatsEntry>): RtpSample | null {
  const rtp = [...entries.values()].find((e) => e.type === 'inbound-rtp');
  if (!rtp) return null;
  const kind = rtp['kind'] === 'video' ? 'video' : 'audio';
  const jitter = num(rtp, 'jitter');
  return {
    kind,
    timestamp: rtp.timestamp,
    bytes: num(rtp, 'bytesReceived') ?? 0,
    packets: num(rtp, 'packetsReceived') ?? 0,
    packetsLost: Math.max(0, num(rtp, 'packetsLost') ?? 0),
    fractionLost: undefined,
    nackCount: num(rtp, 'nackCount') ?? 0,
    pliCount: num(rtp, 'pliCount') ?? 0,
    firCount: num(rtp, 'firCount') ?? 0,
    frames: num(rtp, 'framesDecoded') ?? 0,
    framesDropped: num(rtp, 'framesDropped') ?? 0,
    qpSum: num(rtp, 'qpSum') ?? 0,
    packetsDiscarded: num(rtp, 'packetsDiscarded') ?? 0,
    width: num(rtp, 'frameWidth'),
    height: num(rtp, 'frameHeight'),
    framesPerSecond: num(rtp, 'framesPerSecond'),
    jitterMs: jitter === undefined ? undefined : jitter * 1000,
    rttMs: transportRttMs(entries),
    remoteId: str(rtp, 'remoteId') ?? '',
    codec: codecName(entries, rtp),
  };
}
