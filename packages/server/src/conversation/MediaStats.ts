import type { MediaPeer as Peer, MediaPlane as Sfu } from '../media/MediaApi.js';

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
  /** PeerConnections holding a port/socket reservation now. */
  connections: number;
  /** PeerConnections refused for lack of ports or descriptors since start ("not enough bandwidth"). */
  connectionsRefused: number;
}

interface Counters {
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Media counters for the stats endpoint: live peers are read on demand (nothing per packet),
 * peers that closed leave their last counters in the totals so the numbers never go back.
 */
export class MediaStats {
  readonly #sfu: Sfu;
  readonly #closed: Counters = { packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0 };

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
  const stats = peer.getStats();
  const out: Counters = { packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0 };
  for (const p of stats.published) {
    out.packetsIn += p.packetsIn;
    out.bytesIn += p.bytesIn;
  }
  for (const s of stats.subscribed) {
    out.packetsOut += s.packetsOut;
    out.bytesOut += s.bytesOut;
  }
  return out;
}

function add(into: Counters, more: Counters): void {
  into.packetsIn += more.packetsIn;
  into.packetsOut += more.packetsOut;
  into.bytesIn += more.bytesIn;
  into.bytesOut += more.bytesOut;
}
