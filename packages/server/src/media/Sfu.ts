import { Emitter, type ListenerErrorSink } from '../util/Emitter.js';
import { MediaCapacity, type FdProbe } from './MediaCapacity.js';
import { badParameter, closedError } from './errors.js';
import { resolveMediaConfig, type MediaConfig, type SfuOptions } from './MediaConfig.js';
import { Room, type RoomOwner } from './Room.js';

/** Events of an {@link Sfu}. */
export interface SfuEvents {
  roomClosed: [room: Room];
  /** The SFU closed. Emitted once. */
  closed: [];
}

/**
 * The media plane: owns the rooms, each room its peers, each peer its two connections and their
 * tracks (Sfu → Room → Peer → PublisherTransport/SubscriberTransport → PublishedTrack/ForwardedTrack).
 * Signalling-agnostic: everything the browser must receive comes out as events, everything it
 * sends goes in through method calls.
 */
export class Sfu extends Emitter<SfuEvents> implements RoomOwner {
  /** Resolved configuration (defaults applied). */
  readonly config: MediaConfig;
  /** Ports and file descriptors of every PeerConnection of this SFU. */
  readonly capacity: MediaCapacity;

  readonly #rooms = new Map<string, Room>();
  #ids = 0;
  #closed = false;

  /**
   * @param fdProbe how the process's descriptors are read (tests replace it)
   * @param errorSink where exceptions of listeners and of callbacks run by the SFU itself go
   *   (the server passes its media logger); every object of this SFU shares it
   * @throws ParleyError code 9 on an invalid option.
   */
  constructor(options: SfuOptions = {}, fdProbe?: FdProbe, errorSink?: ListenerErrorSink) {
    super(errorSink);
    this.config = resolveMediaConfig(options);
    this.capacity = new MediaCapacity(this.config, fdProbe);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Open rooms. */
  get rooms(): Room[] {
    return [...this.#rooms.values()];
  }

  /**
   * Creates the room of a conversation.
   * @throws ParleyError code 9 when it exists, 16 after close.
   */
  createRoom(id: string): Room {
    if (this.#closed) throw closedError('sfu');
    if (typeof id !== 'string' || id.length === 0) throw badParameter('room id must be a non-empty string');
    if (this.#rooms.has(id)) throw badParameter(`room ${id} exists`);
    const room = new Room(this, id);
    this.#rooms.set(id, room);
    return room;
  }

  /** The room with this id, if any. */
  getRoom(id: string): Room | undefined {
    return this.#rooms.get(id);
  }

  /** Closes every room (and so every connection). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const room of [...this.#rooms.values()]) room.close();
    this.emit('closed');
    this.removeAllListeners();
  }

  /** @internal {@link RoomOwner} */
  nextId(prefix: string): string {
    return `${prefix}-${(++this.#ids).toString(36)}`;
  }

  /** @internal {@link RoomOwner} */
  roomClosed(room: Room): void {
    if (this.#rooms.get(room.id) !== room) return;
    this.#rooms.delete(room.id);
    if (!this.#closed) this.emit('roomClosed', room);
  }
}
