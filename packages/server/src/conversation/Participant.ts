import { ErrorCode, ParleyError } from '@parley/protocol';
import type { ForwardedTrack, Peer, PeerSdp, Room } from '../media/index.js';
import type { UserSession } from '../session/UserSession.js';
import { LossTracker, type SwitchPolicyConfig } from './LossTracker.js';

/** What a participant wants of a stream it subscribed to. */
export interface Subscription {
  audio: boolean;
  video: boolean;
}

/** What a participant asks of its conversation. */
export interface ParticipantOwner {
  readonly name: string;
  /** Maps subscribed media tracks back to stream ids for `media.subscriberOffer`. */
  streamsOf(tracks: readonly ForwardedTrack[]): { streamId: number; msid: string }[];
  /** The peer is about to close: last chance to read its counters. */
  peerClosing(peer: Peer): void;
  /** A new media peer is about to be created for `participant`. @throws ParleyError over quota */
  admitPeer(participant: Participant): void;
  /** One of the peer's connections failed and was closed by the SFU. */
  mediaTransportFailed(participant: Participant, transport: 'publisher' | 'subscriber', reason: string): void;
}

interface PendingAnswer {
  resolve: (result: { sdp: string }) => void;
  reject: (error: ParleyError) => void;
  timer: NodeJS.Timeout;
}

/**
 * One user in one conversation: the streams it published and subscribed to (by stream id), its
 * loss streak (mesh), and in SFU mode its media {@link Peer}, created on first use. Relays the
 * peer's SDP and candidates to the user's session.
 */
export class Participant {
  readonly session: UserSession;
  /** Stream ids this user published here. */
  readonly publications = new Set<number>();
  /** What this user subscribed to, by stream id. */
  readonly subscriptions = new Map<number, Subscription>();
  readonly loss: LossTracker;

  readonly #owner: ParticipantOwner;
  readonly #answerTimeoutMs: number;
  readonly #maxPendingOffers: number;
  /** `media.publisherOffer` requests waiting for the peer's answer, in order. */
  readonly #pendingAnswers: PendingAnswer[] = [];
  #peer: Peer | null = null;
  #closed = false;

  /**
   * @param answerTimeoutMs time the SFU has to answer a publisher offer
   * @param maxPendingOffers publisher offers that may wait for their answer at once
   */
  constructor(owner: ParticipantOwner, session: UserSession, policy: SwitchPolicyConfig, answerTimeoutMs: number, maxPendingOffers = 4) {
    this.#owner = owner;
    this.session = session;
    this.loss = new LossTracker(policy);
    this.#answerTimeoutMs = answerTimeoutMs;
    this.#maxPendingOffers = maxPendingOffers;
  }

  get userId(): string {
    return this.session.userId;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The media peer, if SFU media was used. */
  get peer(): Peer | null {
    return this.#peer;
  }

  /** The media peer, created in `room` on first use. */
  peerIn(room: Room): Peer {
    if (this.#closed) throw new ParleyError(ErrorCode.WRONG_STATE, 'conversation not joined');
    if (this.#peer && !this.#peer.closed) return this.#peer;
    this.#owner.admitPeer(this);
    const peer = room.addPeer(this.userId);
    this.#peer = peer;
    peer.on('publisherSdp', (description) => this.#onPublisherSdp(description));
    peer.on('subscriberSdp', (description) => {
      this.session.send({
        type: 'media.subscriberOffer',
        conversation: this.#owner.name,
        sdp: description.sdp,
        streams: this.#owner.streamsOf(peer.subscriptions),
      });
    });
    peer.on('transportFailed', (transport, reason) => this.#owner.mediaTransportFailed(this, transport, reason));
    peer.on('candidate', (candidate) => {
      this.session.send({
        type: 'media.candidate',
        conversation: this.#owner.name,
        transport: candidate.transport,
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid,
      });
    });
    return peer;
  }

  /**
   * Applies a publisher offer and waits for the SFU's answer (which comes once host candidates
   * are gathered, so asynchronously).
   * @throws ParleyError code 9 on a bad SDP, 14 when too many offers wait already
   *   (synchronously); the promise fails with 11 on timeout
   */
  offerPublisher(room: Room, sdp: string): Promise<{ sdp: string }> {
    // A browser has one offer in flight per connection; more is a client piling up timers.
    if (this.#pendingAnswers.length >= this.#maxPendingOffers) {
      throw new ParleyError(ErrorCode.NOT_ALLOWED, `too many publisher offers waiting for an answer (max ${this.#maxPendingOffers})`);
    }
    const peer = this.peerIn(room);
    // Registered before the call: libdatachannel may answer synchronously.
    const answer = new Promise<{ sdp: string }>((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.#pendingAnswers.findIndex((p) => p.timer === timer);
        if (index >= 0) this.#pendingAnswers.splice(index, 1);
        reject(new ParleyError(ErrorCode.TIMED_OUT, 'no answer from the media server'));
      }, this.#answerTimeoutMs);
      timer.unref();
      this.#pendingAnswers.push({ resolve, reject, timer });
    });
    try {
      peer.handlePublisherOffer(sdp);
    } catch (error) {
      const pending = this.#pendingAnswers.pop();
      if (pending) clearTimeout(pending.timer);
      throw error;
    }
    return answer;
  }

  /**
   * Drops the media peer (the room left SFU or the participant leaves); pending offers fail.
   * Idempotent.
   */
  closePeer(): void {
    for (const pending of this.#pendingAnswers.splice(0)) {
      clearTimeout(pending.timer);
      pending.reject(new ParleyError(ErrorCode.WRONG_STATE, 'media connection closed'));
    }
    const peer = this.#peer;
    this.#peer = null;
    if (!peer) return;
    this.#owner.peerClosing(peer);
    peer.close();
  }

  /** Leaves: closes the peer and forgets publications and subscriptions. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.closePeer();
    this.publications.clear();
    this.subscriptions.clear();
  }

  #onPublisherSdp(description: PeerSdp): void {
    const pending = this.#pendingAnswers.shift();
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.resolve({ sdp: description.sdp });
  }
}
