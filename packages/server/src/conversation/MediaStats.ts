import type { MediaPeer as Peer, MediaPlane as Sfu } from '../media/MediaApi.js';
import { PEER_TOTAL_NAMES, type PeerTotals, peerTotals, zeroTotals } from '../media/peerTotals.js';

/** SFU part of `GET /api/v1/stats`. Counters are cumulative since start; the rest is live. */
export interface SfuStats {
  rooms: number;
  peers: number;
  publishedTracks: number;
  forwardedTracks: number;
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Packets publishers' inbound streams lost on the way in (RTCP cumulative loss, clamped at 0 per track). */
  packetsLost: number;
  /** NACKs subscribers sent the SFU, and the packets it retransmitted for them. */
  nacksReceived: number;
  retransmitted: number;
  /** PLIs subscribers sent the SFU, and PLIs the SFU sent publishers (after merging and spacing). */
  plisReceived: number;
  plisSent: number;
  /** Padding bytes sent to subscribers to probe their bandwidth before a simulcast up-switch. */
  paddingBytes: number;
  /** Probe clusters sent to subscribers (packet trains measured with transport-wide feedback). */
  probeClusters: number;
  /** PeerConnections holding a port/socket reservation now. */
  connections: number;
  /** PeerConnections refused for lack of ports or descriptors since start ("not enough bandwidth"). */
  connectionsRefused: number;
}

type Counters = PeerTotals;
const COUNTER_NAMES = PEER_TOTAL_NAMES;
const zero = zeroTotals;

/**
 * Media counters for the stats endpoint: live peers are read on demand (nothing per packet),
 * peers that closed leave their last counters in the totals so the numbers never go back.
 */
export class MediaStats {
  readonly #sfu: Sfu;
  readonly #closed: Counters = zero();

  constructor(sfu: Sfu) {
    this.#sfu = sfu;
  }

  /** Adds the counters of a peer about to close. */
  retire(peer: Peer): void {
    add(this.#closed, countersOf(peer));
  }

  snapshot(): SfuStats {
    const total: Counters = { ...this.#closed };
    let peers = 0;
    let publishedTracks = 0;
    let forwardedTracks = 0;
    const rooms = this.#sfu.closed ? [] : this.#sfu.rooms;
    for (const room of rooms) {
      for (const peer of room.peers) {
        peers++;
        publishedTracks += peer.publishedTracks.length;
        forwardedTracks += peer.subscriptions.length;
        add(total, countersOf(peer));
      }
    }
    const { reserved, refused } = this.#sfu.capacity;
    return { rooms: rooms.length, peers, publishedTracks, forwardedTracks, ...total, connections: reserved, connectionsRefused: refused };
  }
}

function countersOf(peer: Peer): Counters {
  return peerTotals(peer.getStats());
}

function add(into: Counters, more: Counters): void {
  for (const name of COUNTER_NAMES) into[name] += more[name];
}
