import { mediaPlanes, type MediaPlane, type PublishedMedia } from '../../media/MediaPlane.js';
import type { ConversationServerEvent } from '../../util/messages.js';
import { Emitter } from '../../util/Emitter.js';
import { log } from '../../util/Logger.js';
import type { ConversationContext } from './context.js';
import { ConversationSignalling } from './ConversationSignalling.js';

/** Events of a {@link ConversationMedia}. */
export interface ConversationMediaEvents {
  /** ICE of `transport` (`publisher`, `subscriber` or a mesh peer) went `disconnected` or `failed`. */
  ice: [state: 'disconnected' | 'failed', transport: string];
}

/** What the media of a conversation needs from it. */
export interface ConversationMediaHost {
  ctx: ConversationContext;
  /** Name of the conversation. */
  name: string;
  /** A ready publication's media, by announced id (mesh peers ask for streams by id). */
  published(streamId: number): PublishedMedia | undefined;
}

/**
 * The media plane of one joined conversation: which mode it runs (SFU or mesh), the plane of that
 * mode, the switch from one to the other, and the plane's ICE reports. Fed through `handle*()`;
 * reports through its events; announcements (`conv.publish`, `conv.subscribe`) stay with the
 * publications and subscriptions.
 */
export class ConversationMedia extends Emitter<ConversationMediaEvents> {
  readonly #host: ConversationMediaHost;
  readonly #signals: ConversationSignalling;
  #mode: 'sfu' | 'mesh' = 'sfu';
  #meshOnly = false;
  #plane: MediaPlane | null = null;
  #switching = false;

  constructor(host: ConversationMediaHost) {
    super();
    this.#host = host;
    this.#signals = new ConversationSignalling(host.ctx, host.name);
  }

  /** Current mode (`sfu` until joined). */
  get mode(): 'sfu' | 'mesh' {
    return this.#mode;
  }

  /** The conversation cannot switch to SFU. */
  get meshOnly(): boolean {
    return this.#meshOnly;
  }

  /** The running plane; null when not joined. */
  get plane(): MediaPlane | null {
    return this.#plane;
  }

  /** A mode switch is under way (its subscription ends are the SDK's own). */
  get switching(): boolean {
    return this.#switching;
  }

  /** Joined in `mode`: starts its plane. */
  start(mode: 'sfu' | 'mesh', meshOnly: boolean): void {
    this.#mode = mode;
    this.#meshOnly = meshOnly;
    this.#plane = this.#createPlane(mode);
  }

  /** Closes the plane of the old mode and starts one of `newMode` (the switch's first step). */
  switchTo(newMode: 'sfu' | 'mesh'): void {
    this.#plane?.close();
    this.#mode = newMode;
    this.#plane = this.#createPlane(newMode);
  }

  /** Sends the already-published streams on the new plane (same ids, no announcement). */
  async republish(published: PublishedMedia[]): Promise<void> {
    const plane = this.#plane;
    if (!plane) return;
    try {
      await Promise.all(published.map((m) => plane.publish(m)));
    } catch (err) {
      log.error('re-publishing after the mode switch failed', err);
    }
  }

  /** Marks the start and the end of a mode switch. */
  setSwitching(on: boolean): void {
    this.#switching = on;
  }

  /** A `media.*` or `mesh.signal` event of this conversation. */
  handleSignal(event: ConversationServerEvent): void {
    this.#plane?.onEvent(event);
  }

  /** A member left (mesh: its pair connection closes). */
  handlePeerLeft(userId: string): void {
    this.#plane?.peerLeft(userId);
  }

  /** Closes the plane (leave, session end). */
  close(): void {
    this.#plane?.close();
    this.#plane = null;
  }

  #createPlane(mode: 'sfu' | 'mesh'): MediaPlane {
    return mediaPlanes.create(mode, {
      selfId: this.#host.ctx.selfId(),
      signals: this.#signals,
      report: (state, detail) => this.emit('ice', state, detail),
      iceServers: () => this.#host.ctx.iceServers(),
      published: (streamId) => this.#host.published(streamId),
    });
  }
}
