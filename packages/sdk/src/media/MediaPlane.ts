import type { ConversationServerEvent } from '../util/messages.js';
import type { MediaSignalling } from './MediaSignalling.js';
import { MeshPlane } from './MeshPlane.js';
import type { IceReport, IceServersSource } from './pcUtil.js';
import { SfuPlane } from './SfuPlane.js';

/** Kinds sent or received. */
export interface Kinds {
  audio: boolean;
  video: boolean;
}

/** A local stream as the media plane sends it. */
export interface PublishedMedia {
  streamId: number;
  ms: MediaStream;
  kinds: Kinds;
  /** SFU simulcast: the video encodings to send, highest first (absent: one encoding). */
  simulcast?: SimulcastEncoding[];
}

/** One simulcast encoding of a published video. */
export interface SimulcastEncoding {
  maxBitrate: number;
  scaleResolutionDownBy: number;
}

/** What a media plane needs from its conversation. */
export interface PlaneDeps {
  selfId: string;
  /** Where the plane's signals go (implemented by the conversation layer). */
  signals: MediaSignalling;
  report: IceReport;
  /** The session's STUN/TURN servers, read when a connection is built. */
  iceServers?: IceServersSource;
  /** A stream published here, by announced id (mesh: to answer a peer's `subscribe`). */
  published(streamId: number): PublishedMedia | undefined;
}

/** One peer connection of a plane; `peer` is the remote user of a mesh pair connection. */
export interface PlaneConnection {
  pc: RTCPeerConnection;
  peer?: string;
}

/**
 * The media transport of one joined conversation: SFU (one publisher + one subscriber PC with the
 * server) or mesh (one PC per remote participant). The Conversation does the announcements
 * (`conv.publish`, `conv.subscribe`); the plane moves the media.
 */
export interface MediaPlane {
  readonly mode: 'sfu' | 'mesh';
  /** Sends a published stream; resolves when its media leg is up. */
  publish(media: PublishedMedia): Promise<void>;
  /** Stops sending a stream. */
  unpublish(media: PublishedMedia): Promise<void>;
  /** Swaps the MediaStream sent for an announced stream (replaceTrack). */
  replace(oldMs: MediaStream, media: PublishedMedia): Promise<void>;
  /**
   * Receives `streamId` from `publisherId`; `announce` sends `conv.subscribe` (called once the
   * plane is ready for the media). Resolves the MediaStream when its expected tracks arrived.
   */
  subscribe(streamId: number, publisherId: string, kinds: Kinds, announce: () => Promise<unknown>): Promise<MediaStream | null>;
  /** Stops receiving `streamId`. */
  unsubscribe(streamId: number, publisherId: string, ended: boolean): void;
  /** `media.*` and `mesh.signal` events of this conversation. */
  onEvent(event: ConversationServerEvent): void;
  /** A participant left (mesh: close its PC). */
  peerLeft(userId: string): void;
  /** The live peer connections (statistics read their senders and receivers). */
  connections(): PlaneConnection[];
  /** Closes every connection. */
  close(): void;
}

export { SUBSCRIBE_TIMEOUT_MS } from './pcUtil.js';

/** Creates the plane of a mode; tests replace it (no RTCPeerConnection in Node). */
export const mediaPlanes = {
  create(mode: 'sfu' | 'mesh', deps: PlaneDeps): MediaPlane {
    return mode === 'mesh' ? new MeshPlane(deps) : new SfuPlane(deps);
  },
};
