import { type ConversationMode, ErrorCode, ParleyError, type StreamDescriptor, type UnsequencedEvent } from '@parley/protocol';
import type { Logger } from '../logging/logger.js';
import type { MediaForwardedTrack as ForwardedTrack, MediaPeer as Peer, MediaTrack as PublishedTrack, MediaRoom as Room } from '../media/MediaApi.js';
import type { IceRepairPort } from '../ice/IceRepairPort.js';
import type { UserSession } from '../session/UserSession.js';
import { fanOut } from './fanOut.js';
import { type SwitchPolicyConfig, tooManyForMesh } from './LossTracker.js';
import { Participant } from './Participant.js';
import type { Moderation } from './moderation/Moderation.js';
import type { SimulcastQuality, Subscription } from './SubscriptionSet.js';
import { Publication, type PublicationInit, type PublicationUpdate } from './Publication.js';

/** Settings a conversation needs from its service. */
export interface ConversationSettings {
  policy: SwitchPolicyConfig;
  /** Most participants of a mesh-only room (code 14 beyond); undefined = no cap. */
  meshOnlyMaxParticipants: number | undefined;
  /** Time the SFU has to answer a publisher offer, ms. */
  answerTimeoutMs: number;
  /** Publisher offers of one participant that may wait for the SFU's answer (code 14 beyond). */
  maxPendingOffers: number;
  /** Streams one participant may publish at once (code 14 beyond). */
  maxPublicationsPerParticipant: number;
  /** Serialized size of all stream descriptors, i.e. what a joiner is sent, bytes (code 14 beyond). */
  maxStreamListBytes: number;
  /** The ICE check repair port (docs/operations.md § TURN), when enabled. */
  iceRepair?: IceRepairPort | undefined;
}

/** What a conversation asks of its service. */
export interface ConversationOwner {
  /** Creates the media room of a conversation that is or became SFU. */
  createRoom(conversation: Conversation): Room;
  /** A media peer is about to close (its counters go into the totals). */
  peerClosing(peer: Peer): void;
  /** The conversation emptied and closed. */
  conversationClosed(conversation: Conversation): void;
  /** Where failed broadcasts are reported. */
  readonly log: Logger;
  /** A media peer is about to be created for `session`. @throws ParleyError over its quota */
  admitPeer(session: UserSession): void;
}

/**
 * A conversation of one tenant: participants (one per user), publications by stream id, and in
 * SFU mode one media {@link Room} created on first media use. Mode is decided by the first
 * participant; a mesh room that is not mesh-only moves to SFU for good when it grows past the
 * mesh limit or a participant reports sustained loss. Closes itself when the last one leaves.
 */
export class Conversation {
  readonly apiKey: string;
  readonly name: string;
  readonly meshOnly: boolean;
  readonly participants = new Map<string, Participant>();
  readonly publications = new Map<number, Publication>();
  /** Set when the conversation was created moderated (its waiting room keeps it open). */
  moderation: Moderation | null = null;

  readonly #owner: ConversationOwner;
  readonly #settings: ConversationSettings;
  #mode: ConversationMode;
  #room: Room | null = null;
  /** Sum of `Publication.bytes` of every publication. */
  #streamListBytes = 0;
  #closed = false;

  constructor(owner: ConversationOwner, apiKey: string, name: string, mesh: boolean, meshOnly: boolean, settings: ConversationSettings) {
    this.#owner = owner;
    this.#settings = settings;
    this.apiKey = apiKey;
    this.name = name;
    this.#mode = mesh || meshOnly ? 'mesh' : 'sfu';
    this.meshOnly = meshOnly;
  }

  /** @internal {@link ParticipantOwner} */
  get iceRepair(): IceRepairPort | undefined {
    return this.#settings.iceRepair;
  }

  get mode(): ConversationMode {
    return this.#mode;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The media room, if SFU media was used. */
  get room(): Room | null {
    return this.#room;
  }

  /** The participant of `session`. @throws ParleyError code 16 when it has not joined. */
  participantOf(session: UserSession): Participant {
    const participant = this.participants.get(session.userId);
    if (!participant || participant.session !== session) throw new ParleyError(ErrorCode.WRONG_STATE, 'conversation not joined');
    return participant;
  }

  /** The publication `streamId`. @throws ParleyError code 8 when unknown. */
  publication(streamId: number): Publication {
    const publication = this.publications.get(streamId);
    if (!publication) throw new ParleyError(ErrorCode.NOT_FOUND, 'stream not found');
    return publication;
  }

  /**
   * Adds `session`; moves a full mesh room to SFU first (the joiner starts in SFU directly).
   * @throws ParleyError code 14 when a capped mesh-only room is full
   */
  join(session: UserSession): Participant {
    const existing = this.participants.get(session.userId);
    if (existing && existing.session === session) return existing;
    // A stale participant of an older session of the same user (normally gone at its end);
    // removed without closing the conversation, which is about to get a participant again.
    if (existing) this.#remove(existing);
    const cap = this.#settings.meshOnlyMaxParticipants;
    if (this.meshOnly && cap !== undefined && this.participants.size >= cap) {
      throw new ParleyError(ErrorCode.NOT_ALLOWED, 'conversation is full');
    }
    if (this.#mode === 'mesh' && !this.meshOnly && tooManyForMesh(this.participants.size + 1, this.#settings.policy)) {
      this.switchToSfu();
    }
    const participant = new Participant(this, session, this.#settings.policy, this.#settings.answerTimeoutMs, this.#settings.maxPendingOffers);
    this.participants.set(session.userId, participant);
    return participant;
  }

  /**
   * Removes `participant`: its streams are withdrawn (removed + subscriptionEnded), its
   * subscriptions and media peer end. Closes the conversation when it was the last. Idempotent.
   */
  leave(participant: Participant): void {
    if (this.participants.get(participant.userId) !== participant) return;
    this.#remove(participant);
    this.closeIfEmpty();
  }

  /** Closes the conversation when nobody is in it nor waits to enter. */
  closeIfEmpty(): void {
    if (this.participants.size === 0 && (this.moderation?.waitingRoom.size ?? 0) === 0) this.close();
  }

  /**
   * Announces a stream; every participant (publisher included) gets `added`.
   * @throws ParleyError code 0 when the stream id is already published here, 14 when the
   *   participant publishes too many streams or the stream list would grow too large
   */
  publish(participant: Participant, init: Omit<PublicationInit, 'publisherId'>): Publication {
    if (this.publications.has(init.streamId)) throw new ParleyError(ErrorCode.OTHER, 'stream already published');
    const { maxPublicationsPerParticipant, maxStreamListBytes } = this.#settings;
    if (participant.publications.size >= maxPublicationsPerParticipant) {
      throw new ParleyError(ErrorCode.NOT_ALLOWED, `too many published streams (max ${maxPublicationsPerParticipant} per participant)`);
    }
    const publication = new Publication({ ...init, publisherId: participant.userId });
    // Every joiner is sent the whole list: past this size it would be dropped as not reading.
    if (this.#streamListBytes + publication.bytes > maxStreamListBytes) {
      throw new ParleyError(ErrorCode.NOT_ALLOWED, `stream list of this conversation full (max ${maxStreamListBytes} bytes)`);
    }
    this.#streamListBytes += publication.bytes;
    this.publications.set(publication.streamId, publication);
    participant.publications.add(publication.streamId);
    // An offer may have carried the tracks before the announcement.
    const peer = participant.peer;
    if (peer) for (const track of peer.publishedTracks) publication.attach(track);
    this.#broadcast({ type: 'conv.stream', conversation: this.name, change: 'added', stream: publication.descriptor });
    return publication;
  }

  /** Changes a stream's flags; everyone gets `updated`. @throws 8 unknown, 14 not the publisher's */
  update(participant: Participant, streamId: number, change: PublicationUpdate): void {
    const publication = this.#ownPublication(participant, streamId);
    const stream = publication.update(change);
    this.#broadcast({ type: 'conv.stream', conversation: this.name, change: 'updated', stream });
  }

  /** Withdraws a stream: `removed` to all, `subscriptionEnded` to its subscribers. */
  unpublish(participant: Participant, streamId: number): void {
    const publication = this.#ownPublication(participant, streamId);
    this.publications.delete(streamId);
    this.#streamListBytes -= publication.bytes;
    participant.publications.delete(streamId);
    for (const other of this.participants.values()) {
      if (!other.subscriptions.remove(publication)) continue;
      other.session.send({ type: 'conv.subscriptionEnded', conversation: this.name, streamId, reason: 'unpublished' });
    }
    publication.close();
    this.#broadcast({ type: 'conv.stream', conversation: this.name, change: 'removed', stream: publication.descriptor });
  }

  /**
   * Subscribes `participant` to a stream; in SFU mode its media is forwarded now or as soon as
   * the publisher's tracks arrive.
   * @throws ParleyError code 8 unknown stream, 9 own stream
   */
  subscribe(participant: Participant, streamId: number, wanted: Subscription): void {
    const publication = this.publication(streamId);
    if (publication.publisherId === participant.userId) throw new ParleyError(ErrorCode.BAD_PARAMETER, 'cannot subscribe to an own stream');
    // Refused by the media plane (no capacity, too many subscriptions): not subscribed.
    participant.subscriptions.add(publication, wanted, this.#mode === 'sfu' ? () => participant.peerIn(this.#mediaRoom()) : undefined);
  }

  /**
   * Caps the simulcast quality forwarded to `participant` for a stream it subscribed to
   * (`updateSubscribedStream`). @throws ParleyError code 8 unknown stream, 9 not subscribed
   */
  updateSubscription(participant: Participant, streamId: number, quality: SimulcastQuality): void {
    if (!participant.subscriptions.setQuality(this.publication(streamId), quality)) {
      throw new ParleyError(ErrorCode.BAD_PARAMETER, 'not subscribed to this stream');
    }
  }

  /** Ends a subscription (no-op when not subscribed). @throws ParleyError code 8 unknown stream */
  unsubscribe(participant: Participant, streamId: number): void {
    participant.subscriptions.remove(this.publication(streamId));
  }

  /** The media room, created when missing (the recorder needs it before anyone publishes). @throws 16 in mesh mode */
  mediaRoom(): Room {
    return this.#mediaRoom();
  }

  /** The publication a published track belongs to, if announced. */
  publicationOfTrack(track: PublishedTrack): Publication | undefined {
    return this.#publicationOfTrack(track);
  }

  /** The media peer of `participant` for SDP/candidates. @throws ParleyError code 16 in mesh mode */
  mediaPeer(participant: Participant): Peer {
    return participant.peerIn(this.#mediaRoom());
  }

  /** Applies a publisher offer; resolves with the SFU's answer. @throws 16 in mesh mode, 9 bad SDP */
  publisherOffer(participant: Participant, sdp: string, simulcast?: readonly (readonly string[])[]): Promise<{ sdp: string }> {
    return participant.offerPublisher(this.#mediaRoom(), sdp, simulcast);
  }

  /**
   * Moves a mesh room to SFU for good: mesh subscriptions are forgotten (the SDKs re-subscribe),
   * publications keep their stream ids, everyone gets `conv.modeChanged`. No-op otherwise.
   */
  switchToSfu(): void {
    if (this.#mode !== 'mesh' || this.meshOnly || this.#closed) return;
    this.#mode = 'sfu';
    for (const participant of this.participants.values()) {
      participant.subscriptions.clear();
      participant.loss.reset();
    }
    this.#broadcast({ type: 'conv.modeChanged', conversation: this.name, oldMode: 'mesh', newMode: 'sfu', state: 'ongoing' });
  }

  /** Sends `event` to every participant except `except`, serialized once. */
  broadcast(event: UnsequencedEvent, except?: UserSession): void {
    fanOut(event, this.#sessions(), this.#owner.log, except);
  }

  /** Sessions subscribed to `streamId`. */
  subscribersOf(streamId: number): UserSession[] {
    const out: UserSession[] = [];
    for (const p of this.participants.values()) if (p.subscriptions.has(streamId)) out.push(p.session);
    return out;
  }

  /** Descriptors of every publication (for a joiner). */
  streams(): StreamDescriptor[] {
    return [...this.publications.values()].map((p) => p.descriptor);
  }

  /** @internal {@link ParticipantOwner}: stream ids of forwarded tracks, one entry per stream. */
  streamsOf(tracks: readonly ForwardedTrack[]): { streamId: number; msid: string }[] {
    const out = new Map<number, { streamId: number; msid: string }>();
    for (const forwarded of tracks) {
      const publication = this.#publicationOfTrack(forwarded.source);
      if (publication) out.set(publication.streamId, { streamId: publication.streamId, msid: forwarded.streamId });
    }
    return [...out.values()];
  }

  /** @internal {@link ParticipantOwner} */
  peerClosing(peer: Peer): void {
    this.#owner.peerClosing(peer);
  }

  /** @internal {@link ParticipantOwner} */
  admitPeer(participant: Participant): void {
    this.#owner.admitPeer(participant.session);
  }

  /**
   * @internal {@link ParticipantOwner}: the SFU closed a failed connection. A failed subscriber
   * connection ended every subscription of the participant: it is told (`conv.subscriptionEnded`,
   * reason `mediaFailed`) and may subscribe again on a new connection. A failed publisher
   * connection ended its tracks; subscriptions to its streams resume when it offers again.
   */
  mediaTransportFailed(participant: Participant, transport: 'publisher' | 'subscriber', _reason: string): void {
    if (transport !== 'subscriber' || this.participants.get(participant.userId) !== participant) return;
    for (const streamId of participant.subscriptions.clear()) {
      participant.session.send({ type: 'conv.subscriptionEnded', conversation: this.name, streamId, reason: 'mediaFailed' });
    }
  }

  /**
   * The media plane lost `room` (its worker died): tracks are detached from their publications
   * (the room ended them), media peers and subscriptions are dropped, and everyone gets
   * `conv.mediaRestart`: the SDKs publish the same streams again (same ids) and subscribe again,
   * as after a mode switch. Publications and membership are untouched.
   */
  mediaLost(room: Room): void {
    if (this.#closed || this.#room !== room) return;
    this.#room = null;
    for (const publication of this.publications.values()) for (const track of publication.tracks) publication.detach(track);
    for (const participant of this.participants.values()) {
      participant.subscriptions.clear();
      participant.closePeer();
    }
    this.#broadcast({ type: 'conv.mediaRestart', conversation: this.name, reason: 'mediaWorkerLost' });
  }

  /** Ends everything without events (emptied, or shutdown). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const participant of this.participants.values()) participant.close();
    this.participants.clear();
    for (const publication of this.publications.values()) publication.close();
    this.publications.clear();
    this.#streamListBytes = 0;
    this.#room?.close();
    this.#room = null;
    this.moderation?.close();
    this.#owner.conversationClosed(this);
  }

  #remove(participant: Participant): void {
    for (const streamId of [...participant.publications]) this.unpublish(participant, streamId);
    this.participants.delete(participant.userId);
    participant.close();
  }

  #broadcast(event: UnsequencedEvent): void {
    fanOut(event, this.#sessions(), this.#owner.log);
  }

  *#sessions(): Generator<UserSession> {
    for (const participant of this.participants.values()) yield participant.session;
  }

  #ownPublication(participant: Participant, streamId: number): Publication {
    const publication = this.publication(streamId);
    if (publication.publisherId !== participant.userId) throw new ParleyError(ErrorCode.NOT_ALLOWED, 'not the publisher of this stream');
    return publication;
  }

  #mediaRoom(): Room {
    if (this.#closed) throw new ParleyError(ErrorCode.WRONG_STATE, 'conversation closed');
    if (this.#mode !== 'sfu') throw new ParleyError(ErrorCode.WRONG_STATE, 'conversation is in mesh mode');
    if (this.#room && !this.#room.closed) return this.#room;
    const room = this.#owner.createRoom(this);
    this.#room = room;
    room.on('trackPublished', (track, peer) => this.#onTrackPublished(track, peer));
    room.on('trackUnpublished', (track) => {
      for (const publication of this.publications.values()) publication.detach(track);
    });
    room.on('dominantSpeakerChanged', (track) => {
      const publication = this.#publicationOfTrack(track);
      if (!publication) return; // a track not (or no longer) part of an announced stream
      this.#broadcast({ type: 'conv.dominantSpeaker', conversation: this.name, streamId: publication.streamId, contactId: publication.publisherId });
    });
    return room;
  }

  /** A publisher's SDP brought a track: attach it to its stream and serve waiting subscribers. */
  #onTrackPublished(track: PublishedTrack, peer: Peer): void {
    const publisher = this.participants.get(peer.id);
    if (!publisher) return;
    for (const streamId of publisher.publications) {
      const publication = this.publications.get(streamId);
      if (!publication?.attach(track)) continue;
      for (const other of this.participants.values()) {
        if (other === publisher) continue;
        try {
          other.subscriptions.trackArrived(streamId, track, () => other.peerIn(this.#mediaRoom()));
        } catch (error) {
          // Refused (no capacity, too many subscriptions): the subscription ended; say why.
          const reason = error instanceof ParleyError ? error.message : 'media unavailable';
          other.session.send({ type: 'conv.subscriptionEnded', conversation: this.name, streamId, reason });
        }
      }
      return;
    }
  }

  #publicationOfTrack(track: PublishedTrack): Publication | undefined {
    const publisher = this.participants.get(track.peerId);
    if (!publisher) return undefined;
    for (const streamId of publisher.publications) {
      const publication = this.publications.get(streamId);
      if (publication?.msid === track.streamId) return publication;
    }
    return undefined;
  }
}
