import { ErrorCode, ParleyError } from '@parley/protocol';
import type { MediaForwardedTrack as ForwardedTrack, MediaPeer as Peer, MediaRoom as Room } from '../media/MediaApi.js';
import { IceRepairLink } from '../ice/IceRepairLink.js';
import type { IceRepairPort } from '../ice/IceRepairPort.js';
import type { UserSession } from '../session/UserSession.js';
import { LossTracker, type SwitchPolicyConfig } from './LossTracker.js';
import { SubscriptionSet } from './SubscriptionSet.js';

export type { Subscription } from './SubscriptionSet.js';

/** What a participant asks of its conversation. */
export interface ParticipantOwner {
  readonly name: string;
  /** The ICE check repair port, when enabled: its candidate goes to the browser with the SFU's. */
  readonly iceRepair: IceRepairPort | undefined;
  /** Maps subscribed media tracks back to stream ids for `media.subscriberOffer`. */
  streamsOf(tracks: readonly ForwardedTrack[]): { streamId: number; msid: string }[];
  /** The peer is about to close: last chance to read its counters. */
  peerClosing(peer: Peer): void;
  /** A new media peer is about to be created for `participant`. @throws ParleyError over quota */
  admitPeer(participant: Participant): void;
  /** One of the peer's connections failed and was closed by the SFU. */
  mediaTransportFailed(participant: Participant, transport: 'publisher' | 'subscriber', reason: string): void;
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
  /** What this user subscribed to, by stream id; drives the media peer's forwarding. */
  readonly subscriptions = new SubscriptionSet(
    () => this.#peer,
    (streamId, quality) => this.session.send({ type: 'conv.simulcastFeedChanged', conversation: this.#owner.name, streamId, quality }),
  );
  readonly loss: LossTracker;

  readonly #owner: ParticipantOwner;
  readonly #answerTimeoutMs: number;
  readonly #maxPendingOffers: number;
  /** `media.publisherOffer` requests waiting for the peer's answer. */
  #offersInFlight = 0;
  #peer: Peer | null = null;
  /** The peer's registration with the repair port (null without one). */
  #repair: IceRepairLink | null = null;
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
    this.#repair?.close();
    const repair = this.#owner.iceRepair ? new IceRepairLink(this.#owner.iceRepair) : null;
    this.#repair = repair;
    peer.on('subscriberSdp', (description) => {
      this.session.send({
        type: 'media.subscriberOffer',
        conversation: this.#owner.name,
        sdp: repair?.description('subscriber', description.sdp) ?? description.sdp,
        streams: this.#owner.streamsOf(peer.subscriptions),
      });
    });
    peer.on('transportFailed', (transport, reason) => {
      repair?.forget(transport);
      this.#owner.mediaTransportFailed(this, transport, reason);
    });
    peer.on('candidate', (candidate) => {
      const send = (line: string): void =>
        this.session.send({
          type: 'media.candidate',
          conversation: this.#owner.name,
          transport: candidate.transport,
          candidate: line,
          sdpMid: candidate.sdpMid,
        });
      send(candidate.candidate);
      const extra = repair?.candidate(candidate.transport, candidate.candidate);
      if (extra !== undefined) send(extra);
    });
    return peer;
  }

  /**
   * Applies a publisher offer and waits for the SFU's answer (which comes once host candidates
   * are gathered, so asynchronously).
   * @throws ParleyError code 9 on a bad SDP, 14 when too many offers wait already
   *   (synchronously); the promise fails with 11 on timeout, 16 when the connection closes first
   */
  offerPublisher(room: Room, sdp: string, simulcast?: readonly (readonly string[])[]): Promise<{ sdp: string }> {
    // A browser has one offer in flight per connection; more is a client piling up timers.
    if (this.#offersInFlight >= this.#maxPendingOffers) {
      throw new ParleyError(ErrorCode.NOT_ALLOWED, `too many publisher offers waiting for an answer (max ${this.#maxPendingOffers})`);
    }
    const peer = this.peerIn(room);
    const repair = this.#repair;
    const raw = peer.handlePublisherOffer(sdp, this.#answerTimeoutMs, simulcast);
    const answer = repair === null ? raw : raw.then((a) => ({ sdp: repair.description('publisher', a.sdp) }));
    this.#offersInFlight++;
    // Attached before the caller's handlers: the count is down when the caller hears the answer.
    const settled = (): void => {
      this.#offersInFlight--;
    };
    answer.then(settled, settled);
    return answer;
  }

  /**
   * Drops the media peer (the room left SFU or the participant leaves); pending offers fail
   * (the peer's connection rejects them). Idempotent.
   */
  closePeer(): void {
    const peer = this.#peer;
    this.#peer = null;
    this.#repair?.close();
    this.#repair = null;
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
}
