import { Emitter, type ListenerErrorSink } from '../util/Emitter.js';
import { DominantSpeaker } from './DominantSpeaker.js';
import { badParameter, closedError } from './errors.js';
import type { MediaCapacity } from './MediaCapacity.js';
import type { MediaConfig } from './MediaConfig.js';
import { Peer, type PeerOwner } from './Peer.js';
import type { PublishedTrack } from './PublishedTrack.js';

/** Events of a {@link Room}. */
export interface RoomEvents {
  /** A participant started publishing a track; subscribers may now `subscribe` to it. */
  trackPublished: [track: PublishedTrack, peer: Peer];
  /** A track ended; its subscriptions have ended too. */
  trackUnpublished: [track: PublishedTrack, peer: Peer];
  /**
   * Another audio track became the loudest one (RFC 6464 levels, see {@link DominantSpeaker}):
   * at most a few times per second, only after the new speaker was clearly louder for a while.
   */
  dominantSpeakerChanged: [track: PublishedTrack, peer: Peer];
  /** A participant left (its `close()` ran). */
  peerClosed: [peer: Peer];
  /** The room closed. Emitted once. */
  closed: [];
}

/** What a room tells its SFU. @internal */
export interface RoomOwner {
  readonly config: MediaConfig;
  readonly capacity: MediaCapacity;
  nextId(prefix: string): string;
  roomClosed(room: Room): void;
  readonly errorSink: ListenerErrorSink;
}

/** The media side of one conversation: its participants and the tracks they publish. */
export class Room extends Emitter<RoomEvents> implements PeerOwner {
  /** Conversation id (the signalling layer's). */
  readonly id: string;

  readonly #owner: RoomOwner;
  readonly #peers = new Map<string, Peer>();
  readonly #tracks = new Map<string, PublishedTrack>();
  #closed = false;
  /** Created with the first audio track that carries levels: a video-only room runs no timer. */
  #speaker: DominantSpeaker<PublishedTrack> | null = null;

  /** @internal Use {@link Sfu.createRoom}. */
  constructor(owner: RoomOwner, id: string) {
    super(owner.errorSink);
    this.#owner = owner;
    this.id = id;
  }

  /** @internal {@link PeerOwner} */
  get config(): MediaConfig {
    return this.#owner.config;
  }

  /** @internal {@link PeerOwner} */
  get capacity(): MediaCapacity {
    return this.#owner.capacity;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Participants. */
  get peers(): Peer[] {
    return [...this.#peers.values()];
  }

  /** Every published track of the room. */
  get tracks(): PublishedTrack[] {
    return [...this.#tracks.values()];
  }

  /**
   * Adds a participant. Its connections are created on first use (first offer / subscription).
   * @throws ParleyError code 9 when the id is taken, 16 after close.
   */
  addPeer(id: string): Peer {
    if (this.#closed) throw closedError(`room ${this.id}`);
    if (typeof id !== 'string' || id.length === 0) throw badParameter('peer id must be a non-empty string');
    if (this.#peers.has(id)) throw badParameter(`peer ${id} is already in room ${this.id}`);
    const peer = new Peer(this, id);
    this.#peers.set(id, peer);
    return peer;
  }

  /** The participant with this id, if any. */
  getPeer(id: string): Peer | undefined {
    return this.#peers.get(id);
  }

  /** The current dominant speaker's audio track, if anyone spoke yet. */
  get dominantSpeaker(): PublishedTrack | null {
    return this.#speaker?.current ?? null;
  }

  /** The published track with this id, if any. */
  getTrack(id: string): PublishedTrack | undefined {
    return this.#tracks.get(id);
  }

  /** Closes every participant, then the room. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#speaker?.close();
    for (const peer of [...this.#peers.values()]) peer.close();
    this.#owner.roomClosed(this);
    this.emit('closed');
    this.removeAllListeners();
  }

  /** @internal {@link PeerOwner} */
  nextId(prefix: string): string {
    return this.#owner.nextId(prefix);
  }

  /** @internal {@link PeerOwner} */
  findTrack(id: string): PublishedTrack | undefined {
    return this.#tracks.get(id);
  }

  /** @internal {@link PeerOwner} */
  peerTrackPublished(peer: Peer, track: PublishedTrack): void {
    this.#tracks.set(track.id, track);
    if (track.hasAudioLevels) this.#ensureSpeaker();
    this.emit('trackPublished', track, peer);
  }

  /** @internal {@link PeerOwner} */
  peerTrackUnpublished(peer: Peer, track: PublishedTrack): void {
    if (this.#tracks.get(track.id) !== track) return;
    this.#tracks.delete(track.id);
    this.#speaker?.remove(track);
    this.emit('trackUnpublished', track, peer);
  }

  /** @internal {@link PeerOwner} */
  peerClosed(peer: Peer): void {
    if (this.#peers.get(peer.id) !== peer) return;
    this.#peers.delete(peer.id);
    this.emit('peerClosed', peer);
  }

  #ensureSpeaker(): void {
    if (this.#speaker !== null) return;
    const speaker = new DominantSpeaker<PublishedTrack>(() => this.#audioLevelTracks(), {}, this.errorSink);
    speaker.on('dominantSpeakerChanged', (track) => {
      const peer = this.#peers.get(track.peerId);
      if (peer && !track.closed) this.emit('dominantSpeakerChanged', track, peer);
    });
    speaker.start();
    this.#speaker = speaker;
  }

  *#audioLevelTracks(): Generator<PublishedTrack> {
    for (const t of this.#tracks.values()) if (t.hasAudioLevels) yield t;
  }
}
