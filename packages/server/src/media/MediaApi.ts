import type { MediaKind } from './codecs.js';
import type { PeerCandidate, PeerSdp, TransportKind } from './Peer.js';

/*
 * What the signalling layer (conversation/, recording/) may use of the media plane. Two
 * implementations: the in-process SFU itself (Sfu → Room → Peer → PublishedTrack /
 * ForwardedTrack satisfy these structurally) and the media-worker proxies (worker/RemoteRoom…),
 * which drive an SFU in another process (docs/media-plane.md § Media workers).
 */

type Listener<A extends unknown[]> = (...args: A) => void;

/** The typed-emitter part of the media objects. */
export interface MediaEmitter<E extends Record<string, unknown[]>> {
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): this;
  once<K extends keyof E>(event: K, listener: Listener<E[K]>): this;
  off<K extends keyof E>(event: K, listener: Listener<E[K]>): this;
}

/** A track a participant publishes. */
export interface MediaTrack {
  readonly id: string;
  readonly peerId: string;
  readonly kind: MediaKind;
  /** The msid stream id of the publisher's SDP. */
  readonly streamId: string;
  readonly closed: boolean;
}

/** Events of a forwarded track the signalling layer listens to. */
export type MediaForwardedTrackEvents = {
  /** Simulcast: the layer forwarded changed (0 = low), at a keyframe. */
  layerChanged: [layer: number];
};

/** A published track forwarded to one subscriber. */
export interface MediaForwardedTrack extends MediaEmitter<MediaForwardedTrackEvents> {
  readonly id: string;
  readonly source: MediaTrack;
  readonly kind: MediaKind;
  readonly mid: string;
  /** The msid stream id in the subscriber's SDP. */
  readonly streamId: string;
  readonly closed: boolean;
  /** Simulcast layers of the source (1 without simulcast). */
  readonly layerCount: number;
  /** Highest layer wanted (clamped; the bandwidth estimate may choose lower). No-op without simulcast. */
  setPreferredLayer(layer: number): void;
}

/** The counters of a peer the stats endpoint adds up. */
export interface MediaPeerCounters {
  published: readonly { packetsIn: number; bytesIn: number; packetsLost: number; plisSent: number }[];
  subscribed: readonly {
    packetsOut: number;
    bytesOut: number;
    nacksReceived: number;
    retransmitted: number;
    plisReceived: number;
    paddingBytes: number;
    probeClusters: number;
  }[];
}

// Event maps named as Peer's / Room's, over the interface types (type aliases: an interface
// would not be assignable to Record<string, unknown[]>).
export type MediaPeerEvents = {
  publisherSdp: [description: PeerSdp];
  subscriberSdp: [description: PeerSdp];
  candidate: [candidate: PeerCandidate];
  connectionStateChange: [transport: TransportKind, state: string];
  transportFailed: [transport: TransportKind, reason: string];
  closed: [];
};
export type MediaRoomEvents = {
  trackPublished: [track: MediaTrack, peer: MediaPeer];
  trackUnpublished: [track: MediaTrack, peer: MediaPeer];
  /** The loudest audio track of the room changed (RFC 6464 levels, hysteresis: see DominantSpeaker). */
  dominantSpeakerChanged: [track: MediaTrack, peer: MediaPeer];
  peerClosed: [peer: MediaPeer];
  closed: [];
};

/** One participant's media (see Peer). */
export interface MediaPeer extends MediaEmitter<MediaPeerEvents> {
  readonly id: string;
  readonly closed: boolean;
  readonly publishedTracks: readonly MediaTrack[];
  readonly subscriptions: readonly MediaForwardedTrack[];
  handlePublisherOffer(sdp: string, timeoutMs?: number, simulcast?: readonly (readonly string[])[]): Promise<{ sdp: string }>;
  handleSubscriberAnswer(sdp: string): void;
  addRemoteCandidate(transport: TransportKind, candidate: string, sdpMid?: string): void;
  subscribe(track: MediaTrack | string): MediaForwardedTrack;
  unsubscribe(track: MediaTrack | string): boolean;
  getStats(): MediaPeerCounters;
  close(): void;
}

/** The media side of one conversation (see Room). */
export interface MediaRoom extends MediaEmitter<MediaRoomEvents> {
  readonly id: string;
  readonly closed: boolean;
  readonly peers: readonly MediaPeer[];
  readonly tracks: readonly MediaTrack[];
  addPeer(id: string): MediaPeer;
  getPeer(id: string): MediaPeer | undefined;
  close(): void;
}

/** The whole media plane (see Sfu): one in-process SFU, or a pool of media workers. */
export interface MediaPlane {
  readonly closed: boolean;
  readonly rooms: readonly MediaRoom[];
  /** PeerConnections holding a reservation now, and refused since start (all workers). */
  readonly capacity: { readonly reserved: number; readonly refused: number };
  createRoom(id: string): MediaRoom;
  close(): void;
}
