import type { MeshSdpPayload } from './MeshPc.js';

/** A `mesh.signal` payload: SDP/ICE of the pair connection, or a request for one of the peer's streams. */
export type MeshSignal = MeshSdpPayload | { kind: 'subscribe'; streamId: number; audio: boolean; video: boolean } | { kind: 'unsubscribe'; streamId: number };

/**
 * The signals a media plane sends for its conversation. The conversation layer implements it over
 * the session's requests, so the planes move media without knowing the wire messages or the engine
 * that carries them (and can be tested with a recorder).
 */
export interface MediaSignalling {
  /** SFU: sends the publisher PC's offer; resolves the server's answer SDP (rejects without one). */
  publisherOffer(sdp: string, simulcast?: string[][]): Promise<string>;
  /** SFU: answers the server's subscriber offer. */
  subscriberAnswer(sdp: string): Promise<unknown>;
  /** SFU: a local ICE candidate of one of the two PCs (fire and forget). */
  candidate(transport: 'publisher' | 'subscriber', candidate: string, sdpMid: string | undefined): void;
  /** Mesh: a payload for peer `to` (fire and forget). */
  meshSignal(to: string, payload: MeshSignal): void;
  /** Mesh: the receive-loss ratio (0..1) of the last interval (fire and forget). */
  qualityReport(lossRatio: number): void;
}
