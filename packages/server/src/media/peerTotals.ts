import type { MediaPeerCounters } from './MediaApi.js';

/** Names of a peer's cumulative media counters, as the stats endpoint and /metrics show them. */
export const PEER_TOTAL_NAMES = [
  'packetsIn',
  'packetsOut',
  'bytesIn',
  'bytesOut',
  'packetsLost',
  'nacksReceived',
  'retransmitted',
  'plisReceived',
  'plisSent',
  'paddingBytes',
  'probeClusters',
] as const;
export type PeerTotals = Record<(typeof PEER_TOTAL_NAMES)[number], number>;

/** All counters at zero. */
export function zeroTotals(): PeerTotals {
  return {
    packetsIn: 0,
    packetsOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    packetsLost: 0,
    nacksReceived: 0,
    retransmitted: 0,
    plisReceived: 0,
    plisSent: 0,
    paddingBytes: 0,
    probeClusters: 0,
  };
}

/** One peer's counters summed over its published and subscribed tracks. */
export function peerTotals(stats: MediaPeerCounters): PeerTotals {
  const out = zeroTotals();
  for (const p of stats.published) {
    out.packetsIn += p.packetsIn;
    out.bytesIn += p.bytesIn;
    // RTCP's cumulative loss goes negative with duplicates; a total must not go backwards.
    out.packetsLost += Math.max(0, p.packetsLost);
    out.plisSent += p.plisSent;
  }
  for (const s of stats.subscribed) {
    out.packetsOut += s.packetsOut;
    out.bytesOut += s.bytesOut;
    out.nacksReceived += s.nacksReceived;
    out.retransmitted += s.retransmitted;
    out.plisReceived += s.plisReceived;
    out.paddingBytes += s.paddingBytes;
    out.probeClusters += s.probeClusters;
  }
  return out;
}
