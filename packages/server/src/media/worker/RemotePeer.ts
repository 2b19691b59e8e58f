import { Emitter } from '../../util/Emitter.js';
import { badParameter, closedError } from '../errors.js';
import type { MediaPeer, MediaPeerCounters, MediaPeerEvents, MediaTrack } from '../MediaApi.js';
import type { TransportKind } from '../Peer.js';
import { type PeerTotals, zeroTotals } from '../peerTotals.js';
import { RemoteForwardedTrack } from './RemoteForwardedTrack.js';
import type { RemoteTrack } from './RemoteTrack.js';
import type { MediaWorkerCommand, MediaWorkerEvent } from './wire.js';

/** What a remote peer asks of its room. */
export interface RemotePeerOwner {
  readonly maxSubscriptionsPerPeer: number;
  findTrack(id: string): RemoteTrack | undefined;
  send(command: MediaWorkerCommand): void;
  request(command: MediaWorkerCommand & { req: number }): Promise<{ sdp?: string }>;
  nextRequestId(): number;
  peerClosed(peer: RemotePeer): void;
}

/** A peer's counters as the worker reports them (cumulative). */
type Counters = PeerTotals;

type PeerEvent = Extract<MediaWorkerEvent, { peer: string }> | Extract<MediaWorkerEvent, { ev: 'refused' }>;

/**
 * A participant's media in a worker, seen from the main process: the same calls and events as
 * {@link Peer}. Checks that need no media (unknown or own track, subscription limit) are made
 * here, synchronously, with the SFU's error codes; what only the worker can refuse (no
 * capacity, a bad SDP) comes back asynchronously: a failed offer rejects its promise, a refused
 * subscription ends the subscriber connection's subscriptions (`transportFailed`).
 */
export class RemotePeer extends Emitter<MediaPeerEvents> implements MediaPeer {
  readonly id: string;
  readonly roomId: string;
  readonly #owner: RemotePeerOwner;
  readonly #published = new Map<string, RemoteTrack>();
  /** Subscriptions by source track id. */
  readonly #subscriptions = new Map<string, RemoteForwardedTrack>();
  #counters: Counters = zeroTotals();
  #closed = false;

  constructor(owner: RemotePeerOwner, roomId: string, id: string, errorSink: Emitter<MediaPeerEvents>['errorSink']) {
    super(errorSink);
    this.#owner = owner;
    this.roomId = roomId;
    this.id = id;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get publishedTracks(): RemoteTrack[] {
    return [...this.#published.values()];
  }

  get subscriptions(): RemoteForwardedTrack[] {
    return [...this.#subscriptions.values()];
  }

  handlePublisherOffer(sdp: string, timeoutMs?: number, simulcast?: readonly (readonly string[])[]): Promise<{ sdp: string }> {
    if (this.#closed) throw closedError(`peer ${this.id}`);
    const req = this.#owner.nextRequestId();
    const command = {
      op: 'publisherOffer',
      req,
      room: this.roomId,
      peer: this.id,
      sdp,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(simulcast !== undefined && simulcast.length > 0 ? { simulcast: simulcast.map((group) => [...group]) } : {}),
    } as const;
    const answer = this.#owner.request(command).then((reply) => {
      const answerSdp = reply.sdp ?? '';
      this.emit('publisherSdp', { type: 'answer', sdp: answerSdp });
      return { sdp: answerSdp };
    });
    answer.catch(() => undefined);
    return answer;
  }

  handleSubscriberAnswer(sdp: string): void {
    if (this.#closed) throw closedError(`peer ${this.id}`);
    this.#owner.send({ op: 'subscriberAnswer', room: this.roomId, peer: this.id, sdp });
  }

  addRemoteCandidate(transport: TransportKind, candidate: string, sdpMid?: string): void {
    if (this.#closed) throw closedError(`peer ${this.id}`);
    this.#owner.send({ op: 'candidate', room: this.roomId, peer: this.id, transport, candidate, ...(sdpMid !== undefined ? { sdpMid } : {}) });
  }

  subscribe(track: MediaTrack | string): RemoteForwardedTrack {
    if (this.#closed) throw closedError(`peer ${this.id}`);
    const id = typeof track === 'string' ? track : track.id;
    const source = this.#owner.findTrack(id);
    if (source === undefined || source.closed || (typeof track !== 'string' && source !== track)) throw badParameter(`unknown track ${id}`);
    if (source.peerId === this.id) throw badParameter(`peer ${this.id} cannot subscribe to its own track`);
    const existing = this.#subscriptions.get(source.id);
    if (existing) return existing;
    const max = this.#owner.maxSubscriptionsPerPeer;
    if (this.#subscriptions.size >= max) throw badParameter(`peer ${this.id} has ${max} subscriptions, the most allowed`);
    const prefer = (layer: number): void => {
      if (!this.#closed) this.#owner.send({ op: 'preferLayer', room: this.roomId, peer: this.id, track: source.id, layer });
    };
    const forwarded = new RemoteForwardedTrack(source, prefer, this.errorSink);
    this.#subscriptions.set(source.id, forwarded);
    this.#owner.send({ op: 'subscribe', room: this.roomId, peer: this.id, track: source.id });
    return forwarded;
  }

  unsubscribe(track: MediaTrack | string): boolean {
    const id = typeof track === 'string' ? track : track.id;
    const forwarded = this.#subscriptions.get(id);
    if (forwarded === undefined) return false;
    this.#subscriptions.delete(id);
    forwarded.markClosed();
    if (!this.#closed) this.#owner.send({ op: 'unsubscribe', room: this.roomId, peer: this.id, track: id });
    return true;
  }

  /** Counters as of the worker's last report (at most a report period old). */
  getStats(): MediaPeerCounters {
    const c = this.#counters;
    return {
      published: [{ packetsIn: c.packetsIn, bytesIn: c.bytesIn, packetsLost: c.packetsLost, plisSent: c.plisSent }],
      subscribed: [
        {
          packetsOut: c.packetsOut,
          bytesOut: c.bytesOut,
          nacksReceived: c.nacksReceived,
          retransmitted: c.retransmitted,
          plisReceived: c.plisReceived,
          paddingBytes: c.paddingBytes,
          probeClusters: c.probeClusters,
        },
      ],
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#owner.send({ op: 'closePeer', room: this.roomId, peer: this.id });
    this.lost();
  }

  /** @internal Ends this proxy without telling the worker (closed there, or the worker is gone). Idempotent. */
  lost(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const f of this.#subscriptions.values()) f.markClosed();
    this.#subscriptions.clear();
    this.#published.clear();
    this.#owner.peerClosed(this);
    this.emit('closed');
    this.removeAllListeners();
  }

  /** @internal */
  trackPublished(track: RemoteTrack): void {
    this.#published.set(track.id, track);
  }

  /** @internal */
  trackUnpublished(track: RemoteTrack): void {
    this.#published.delete(track.id);
    this.#subscriptionEnded(track.id);
  }

  /** @internal A source track ended: subscriptions to it end here too (the worker ended its own). */
  sourceEnded(sourceId: string): void {
    this.#subscriptionEnded(sourceId);
  }

  /** @internal */
  setCounters(counters: Counters): void {
    this.#counters = counters;
  }

  /** @internal An event of this peer from the worker. */
  handleEvent(e: PeerEvent): void {
    if (this.#closed) return;
    switch (e.ev) {
      case 'subscriberSdp':
        for (const s of e.subscriptions) this.#subscriptions.get(s.source)?.settle(s.id, s.mid, s.streamId);
        this.emit('subscriberSdp', { type: 'offer', sdp: e.sdp });
        return;
      case 'candidate':
        this.emit('candidate', { transport: e.transport, candidate: e.candidate, sdpMid: e.sdpMid });
        return;
      case 'connectionState':
        this.emit('connectionStateChange', e.transport, e.state);
        return;
      case 'transportFailed':
        if (e.transport === 'subscriber') this.#endAllSubscriptions();
        this.emit('transportFailed', e.transport, e.reason);
        return;
      case 'subscriptionEnded':
        this.#subscriptionEnded(e.source);
        return;
      case 'layerChanged':
        this.#subscriptions.get(e.source)?.layerChanged(e.layer);
        return;
      case 'refused':
        if (e.op === 'subscribe' && e.track !== undefined && this.#subscriptions.has(e.track)) {
          // Refused by the worker (no capacity): like a failed subscriber connection, the
          // conversation ends the participant's subscriptions and tells it.
          this.#endAllSubscriptions();
          this.emit('transportFailed', 'subscriber', e.message);
        }
        return;
      case 'peerClosed':
        this.lost();
        return;
      default:
        return;
    }
  }

  #subscriptionEnded(sourceId: string): void {
    const f = this.#subscriptions.get(sourceId);
    if (!f) return;
    this.#subscriptions.delete(sourceId);
    f.markClosed();
  }

  #endAllSubscriptions(): void {
    for (const f of this.#subscriptions.values()) f.markClosed();
    this.#subscriptions.clear();
  }
}
