import { Emitter, type ListenerErrorSink } from '../util/Emitter.js';
import { badParameter, closedError } from './errors.js';
import type { ForwardedTrack, ForwardedTrackStats } from './ForwardedTrack.js';
import type { PublishedTrack, PublishedTrackStats } from './PublishedTrack.js';
import { PublisherTransport, type TransportContext } from './PublisherTransport.js';
import { SubscriberTransport } from './SubscriberTransport.js';
import type { MediaCapacity } from './MediaCapacity.js';
import type { MediaConfig } from './MediaConfig.js';

/** Which of a participant's two connections a message is about. */
export type TransportKind = 'publisher' | 'subscriber';

/** An SDP message for the participant's browser. */
export interface PeerSdp {
  /** `answer` on the publisher connection, `offer` on the subscriber connection. */
  type: 'offer' | 'answer';
  sdp: string;
}

/** An ICE candidate for the participant's browser (`RTCIceCandidateInit`-shaped). */
export interface PeerCandidate {
  transport: TransportKind;
  /** `candidate:…` line without `a=`. */
  candidate: string;
  sdpMid: string;
}

/** Events of a {@link Peer}. */
export interface PeerEvents {
  /** The SFU's answer on the publisher connection (also the result of `handlePublisherOffer`). */
  publisherSdp: [description: PeerSdp];
  /** The SFU's offer on the subscriber connection: send it, pass the answer to `handleSubscriberAnswer`. */
  subscriberSdp: [description: PeerSdp];
  /** A local ICE candidate of either connection. */
  candidate: [candidate: PeerCandidate];
  /** A connection changed state (new, connecting, connected, disconnected, failed, closed). */
  connectionStateChange: [transport: TransportKind, state: string];
  /**
   * A connection failed and was closed (its tracks or subscriptions ended first, with their
   * usual events). The peer stays: the next offer / subscription uses a fresh connection.
   */
  transportFailed: [transport: TransportKind, reason: string];
  /** This participant started publishing a track. */
  trackPublished: [track: PublishedTrack];
  /** One of this participant's tracks ended. */
  trackUnpublished: [track: PublishedTrack];
  /** A subscription of this participant ended (unsubscribed or source gone). */
  subscriptionEnded: [track: ForwardedTrack];
  /** The peer closed (left the room). Emitted once. */
  closed: [];
}

/** Counters of a peer's tracks. */
export interface PeerStats {
  published: (PublishedTrackStats & { id: string; kind: string; streamId: string })[];
  subscribed: (ForwardedTrackStats & { id: string; sourceId: string; kind: string; mid: string })[];
}

/** What a peer tells its room. @internal */
export interface PeerOwner {
  readonly config: MediaConfig;
  readonly capacity: MediaCapacity;
  nextId(prefix: string): string;
  findTrack(id: string): PublishedTrack | undefined;
  peerTrackPublished(peer: Peer, track: PublishedTrack): void;
  peerTrackUnpublished(peer: Peer, track: PublishedTrack): void;
  peerClosed(peer: Peer): void;
  readonly errorSink: ListenerErrorSink;
}

/**
 * One participant in a room: a publishing connection ({@link PublisherTransport}) and a
 * subscribing connection ({@link SubscriberTransport}). The signalling layer relays the SDP and
 * candidates this class emits, and calls `subscribe`/`unsubscribe` for what the participant
 * wants to receive.
 */
export class Peer extends Emitter<PeerEvents> {
  /** Participant id (the signalling layer's, unique in the room). */
  readonly id: string;
  readonly #owner: PeerOwner;
  readonly #ctx: TransportContext;
  #publisher!: PublisherTransport;
  #subscriber!: SubscriberTransport;
  /** Subscriptions by source track id. */
  readonly #subscriptions = new Map<string, ForwardedTrack>();
  #closed = false;

  /** @internal Use {@link Room.addPeer}. */
  constructor(owner: PeerOwner, id: string) {
    super(owner.errorSink);
    this.#owner = owner;
    this.id = id;
    this.#ctx = { peerId: id, config: owner.config, capacity: owner.capacity, nextId: (p) => owner.nextId(p), errorSink: owner.errorSink };
    this.#newPublisher();
    this.#newSubscriber();
  }

  /** The publishing connection (a fresh one after a failure). */
  get publisher(): PublisherTransport {
    return this.#publisher;
  }

  /** The subscribing connection (a fresh one after a failure). */
  get subscriber(): SubscriberTransport {
    return this.#subscriber;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Tracks this participant publishes. */
  get publishedTracks(): PublishedTrack[] {
    return this.publisher.tracks;
  }

  /** Tracks this participant receives. */
  get subscriptions(): ForwardedTrack[] {
    return [...this.#subscriptions.values()];
  }

  /**
   * Applies an offer (or re-offer) the browser made on its publishing connection and resolves
   * with the SFU's answer (also emitted as `publisherSdp`). The promise fails with ParleyError
   * code 11 after `timeoutMs` (no limit when undefined) and code 16 when the connection closes
   * or fails before answering; a caller may ignore it.
   * @throws ParleyError (synchronously) code 9 on a bad SDP, 0 when the SFU has no capacity,
   *   16 after close.
   */
  handlePublisherOffer(sdp: string, timeoutMs?: number, simulcast?: readonly (readonly string[])[]): Promise<{ sdp: string }> {
    if (this.#closed) throw closedError(`peer ${this.id}`);
    const answer = this.publisher.handleOffer(sdp, timeoutMs, simulcast).then((answerSdp) => ({ sdp: answerSdp }));
    answer.catch(() => undefined);
    return answer;
  }

  /**
   * Applies the browser's answer to the last `subscriberSdp` offer.
   * @throws ParleyError code 9 on a bad SDP, 16 when no offer is outstanding or after close.
   */
  handleSubscriberAnswer(sdp: string): void {
    if (this.#closed) throw closedError(`peer ${this.id}`);
    this.subscriber.handleAnswer(sdp);
  }

  /**
   * Adds a browser ICE candidate to one of the connections. Empty, end-of-candidates and mDNS
   * candidates are ignored.
   * @throws ParleyError code 16 after close.
   */
  addRemoteCandidate(transport: TransportKind, candidate: string, sdpMid?: string): void {
    if (this.#closed) throw closedError(`peer ${this.id}`);
    if (transport === 'publisher') this.publisher.addRemoteCandidate(candidate, sdpMid);
    else this.subscriber.addRemoteCandidate(candidate, sdpMid);
  }

  /**
   * Forwards a published track of the room to this participant (a renegotiation of its
   * subscribing connection follows). Subscribing twice to the same track returns the existing
   * subscription.
   * @throws ParleyError code 9 for an unknown track or the peer's own track, 16 after close.
   */
  subscribe(track: PublishedTrack | string): ForwardedTrack {
    if (this.#closed) throw closedError(`peer ${this.id}`);
    const source = typeof track === 'string' ? this.#owner.findTrack(track) : track;
    if (source === undefined || source.closed || this.#owner.findTrack(source.id) !== source) {
      throw badParameter(`unknown track ${typeof track === 'string' ? track : track.id}`);
    }
    if (source.peerId === this.id) throw badParameter(`peer ${this.id} cannot subscribe to its own track`);
    const existing = this.#subscriptions.get(source.id);
    if (existing) return existing;
    const max = this.#owner.config.maxSubscriptionsPerPeer;
    if (this.#subscriptions.size >= max) throw badParameter(`peer ${this.id} has ${max} subscriptions, the most allowed`);
    const forwarded = this.subscriber.subscribe(source);
    this.#subscriptions.set(source.id, forwarded);
    forwarded.once('closed', () => {
      this.#subscriptions.delete(source.id);
      if (!this.#closed) this.emit('subscriptionEnded', forwarded);
    });
    return forwarded;
  }

  /**
   * Stops forwarding a track to this participant (its m-section turns inactive at the next
   * offer). Returns false when it was not subscribed. Idempotent.
   */
  unsubscribe(track: PublishedTrack | string): boolean {
    const id = typeof track === 'string' ? track : track.id;
    const forwarded = this.#subscriptions.get(id);
    if (forwarded === undefined) return false;
    forwarded.close();
    return true;
  }

  /** Counters of every published and subscribed track. */
  getStats(): PeerStats {
    return {
      published: this.publisher.tracks.map((t) => ({ id: t.id, kind: t.kind, streamId: t.streamId, ...t.getStats() })),
      subscribed: this.subscriptions.map((f) => ({ id: f.id, sourceId: f.source.id, kind: f.kind, mid: f.mid, ...f.getStats() })),
    };
  }

  #newPublisher(): void {
    const publisher = new PublisherTransport(this.#ctx);
    this.#publisher = publisher;
    publisher.on('answer', (sdp) => this.emit('publisherSdp', { type: 'answer', sdp }));
    publisher.on('candidate', (candidate, sdpMid) => this.emit('candidate', { transport: 'publisher', candidate, sdpMid }));
    publisher.on('connectionStateChange', (state) => this.emit('connectionStateChange', 'publisher', state));
    publisher.on('trackPublished', (track) => {
      this.#owner.peerTrackPublished(this, track);
      this.emit('trackPublished', track);
    });
    publisher.on('trackUnpublished', (track) => {
      this.#owner.peerTrackUnpublished(this, track);
      this.emit('trackUnpublished', track);
    });
    publisher.on('failed', (reason) => {
      // Replaced before its tracks end, so that listeners of those events already see the fresh one.
      if (this.#closed) return;
      this.#newPublisher();
      publisher.once('closed', () => this.emit('transportFailed', 'publisher', reason));
    });
  }

  #newSubscriber(): void {
    const subscriber = new SubscriberTransport(this.#ctx);
    this.#subscriber = subscriber;
    subscriber.on('offer', (sdp) => this.emit('subscriberSdp', { type: 'offer', sdp }));
    subscriber.on('candidate', (candidate, sdpMid) => this.emit('candidate', { transport: 'subscriber', candidate, sdpMid }));
    subscriber.on('connectionStateChange', (state) => this.emit('connectionStateChange', 'subscriber', state));
    subscriber.on('failed', (reason) => {
      if (this.#closed) return;
      this.#newSubscriber();
      subscriber.once('closed', () => this.emit('transportFailed', 'subscriber', reason));
    });
  }

  /** Leaves the room: ends its tracks and subscriptions and closes both connections. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.subscriber.close();
    this.publisher.close();
    this.#subscriptions.clear();
    this.#owner.peerClosed(this);
    this.emit('closed');
    this.removeAllListeners();
  }
}
