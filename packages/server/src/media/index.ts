/**
 * Parley's SFU media plane. The signalling layer uses:
 * `Sfu` → `createRoom` → `Room.addPeer` → `Peer` (handlePublisherOffer, handleSubscriberAnswer,
 * addRemoteCandidate, subscribe, unsubscribe, close; events publisherSdp (also the promised
 * answer of handlePublisherOffer), subscriberSdp,
 * candidate, connectionStateChange) and `Room` events trackPublished / trackUnpublished.
 * See docs/media-plane.md.
 */
export { Sfu, type SfuEvents } from './Sfu.js';
export { Room, type RoomEvents } from './Room.js';
export { Peer, type PeerEvents, type PeerSdp, type PeerCandidate, type PeerStats, type TransportKind } from './Peer.js';
export { PublisherTransport, type PublisherTransportEvents } from './PublisherTransport.js';
export { SubscriberTransport, type SubscriberTransportEvents } from './SubscriberTransport.js';
export { PublishedTrack, type PublishedTrackEvents, type PublishedTrackStats } from './PublishedTrack.js';
export { ForwardedTrack, type ForwardedTrackEvents, type ForwardedTrackStats } from './ForwardedTrack.js';
export { Emitter, type ListenerErrorSink } from '../util/Emitter.js';
export type { SfuOptions, MediaConfig } from './MediaConfig.js';
export type { MediaKind } from './codecs.js';
