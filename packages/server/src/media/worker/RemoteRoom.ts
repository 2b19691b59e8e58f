import { Emitter, type ListenerErrorSink } from '../../util/Emitter.js';
import { badParameter, closedError } from '../errors.js';
import type { MediaRoom, MediaRoomEvents } from '../MediaApi.js';
import { RemoteCapture } from './RemoteCapture.js';
import { RemotePeer, type RemotePeerOwner } from './RemotePeer.js';
import { RemoteTrack, type RemoteTrackOwner } from './RemoteTrack.js';
import type { MediaWorkerCommand, MediaWorkerEvent } from './wire.js';

/** What a remote room needs of its worker (see MediaWorker). */
export interface RemoteRoomOwner {
  readonly maxSubscriptionsPerPeer: number;
  readonly errorSink: ListenerErrorSink;
  send(command: MediaWorkerCommand): void;
  request(command: MediaWorkerCommand & { req: number }): Promise<{ sdp?: string }>;
  nextRequestId(): number;
  nextCaptureId(): string;
  /** Routes `captureStarted` of this capture id to `capture`. */
  watchCapture(id: string, capture: RemoteCapture | null): void;
  roomClosed(room: RemoteRoom): void;
}

type RoomEvent = Extract<MediaWorkerEvent, { room: string }>;

/**
 * A conversation's media room living in a media worker, seen from the main process: the same
 * calls and events as {@link Room}. The whole room (its peers, their connections and the
 * forwarding between them) is in one worker.
 */
export class RemoteRoom extends Emitter<MediaRoomEvents> implements MediaRoom, RemotePeerOwner, RemoteTrackOwner {
  readonly id: string;
  /** Slot of the worker holding it. */
  readonly workerIndex: number;
  readonly #owner: RemoteRoomOwner;
  readonly #peers = new Map<string, RemotePeer>();
  readonly #tracks = new Map<string, RemoteTrack>();
  #closed = false;

  constructor(owner: RemoteRoomOwner, id: string, workerIndex: number) {
    super(owner.errorSink);
    this.#owner = owner;
    this.id = id;
    this.workerIndex = workerIndex;
    owner.send({ op: 'createRoom', room: id });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get peers(): RemotePeer[] {
    return [...this.#peers.values()];
  }

  get tracks(): RemoteTrack[] {
    return [...this.#tracks.values()];
  }

  get maxSubscriptionsPerPeer(): number {
    return this.#owner.maxSubscriptionsPerPeer;
  }

  addPeer(id: string): RemotePeer {
    if (this.#closed) throw closedError(`room ${this.id}`);
    if (typeof id !== 'string' || id.length === 0) throw badParameter('peer id must be a non-empty string');
    if (this.#peers.has(id)) throw badParameter(`peer ${id} is already in room ${this.id}`);
    const peer = new RemotePeer(this, this.id, id, this.errorSink);
    this.#peers.set(id, peer);
    this.send({ op: 'addPeer', room: this.id, peer: id });
    return peer;
  }

  getPeer(id: string): RemotePeer | undefined {
    return this.#peers.get(id);
  }

  /** Closes the room here and in the worker. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#owner.send({ op: 'closeRoom', room: this.id });
    this.#end();
  }

  /**
   * @internal The worker died: every track and peer ends here (trackUnpublished, then closed),
   * then the room closes. Idempotent.
   */
  lost(): void {
    if (this.#closed) return;
    for (const track of [...this.#tracks.values()]) this.#unpublish(track);
    this.#end();
  }

  /** @internal {@link RemotePeerOwner} */
  findTrack(id: string): RemoteTrack | undefined {
    return this.#tracks.get(id);
  }

  /** @internal {@link RemotePeerOwner} */
  send(command: MediaWorkerCommand): void {
    if (!this.#closed) this.#owner.send(command);
  }

  /** @internal {@link RemotePeerOwner} */
  request(command: MediaWorkerCommand & { req: number }): Promise<{ sdp?: string }> {
    if (this.#closed) return Promise.reject(closedError(`room ${this.id}`));
    return this.#owner.request(command);
  }

  /** @internal {@link RemotePeerOwner} */
  nextRequestId(): number {
    return this.#owner.nextRequestId();
  }

  /** @internal {@link RemotePeerOwner} */
  peerClosed(peer: RemotePeer): void {
    if (this.#peers.get(peer.id) !== peer) return;
    this.#peers.delete(peer.id);
    this.emit('peerClosed', peer);
  }

  /** @internal {@link RemoteTrackOwner} */
  startCapture(track: RemoteTrack, file: string): RemoteCapture {
    const id = this.#owner.nextCaptureId();
    return new RemoteCapture({
      start: (capture) => {
        this.#owner.watchCapture(id, capture);
        this.send({ op: 'startCapture', capture: id, room: this.id, track: track.id, file });
      },
      stop: async () => {
        this.#owner.watchCapture(id, null);
        if (this.#closed) return;
        await this.#owner.request({ op: 'stopCapture', req: this.#owner.nextRequestId(), capture: id }).catch(() => undefined);
      },
    });
  }

  /** @internal Counters of a peer from the worker's report. */
  setCounters(peerId: string, counters: Parameters<RemotePeer['setCounters']>[0]): void {
    this.#peers.get(peerId)?.setCounters(counters);
  }

  /** @internal An event of this room from the worker. */
  handleEvent(e: RoomEvent): void {
    if (this.#closed) return;
    if (e.ev === 'trackPublished') {
      const peer = this.#peers.get(e.peer);
      if (!peer) return;
      const track = new RemoteTrack(this, e.peer, e.track);
      this.#tracks.set(track.id, track);
      peer.trackPublished(track);
      this.emit('trackPublished', track, peer);
      return;
    }
    if (e.ev === 'trackUnpublished') {
      const track = this.#tracks.get(e.track);
      if (track) this.#unpublish(track);
      return;
    }
    if (e.ev === 'dominantSpeakerChanged') {
      const track = this.#tracks.get(e.track);
      const peer = this.#peers.get(e.peer);
      if (track && peer) this.emit('dominantSpeakerChanged', track, peer);
      return;
    }
    if ('peer' in e && e.peer !== undefined) this.#peers.get(e.peer)?.handleEvent(e);
  }

  #unpublish(track: RemoteTrack): void {
    this.#tracks.delete(track.id);
    track.markClosed();
    for (const peer of this.#peers.values()) peer.sourceEnded(track.id);
    const publisher = this.#peers.get(track.peerId);
    publisher?.trackUnpublished(track);
    if (publisher) this.emit('trackUnpublished', track, publisher);
  }

  #end(): void {
    this.#closed = true;
    for (const peer of [...this.#peers.values()]) peer.lost();
    this.#tracks.clear();
    this.#owner.roomClosed(this);
    this.emit('closed');
    this.removeAllListeners();
  }
}
