import type { PeerSignalPayload } from '@parley/protocol';
import { MeshPc, type MeshSdpPayload } from '../../media/MeshPc.js';
import { log } from '../../util/Logger.js';
import type { PeerPort } from './PeerPort.js';

/** Why a link gave up. */
export type LinkFailure = 'Ice_failed' | 'disconnected';

/**
 * The direct RTCPeerConnection of one peer session (call, data channel, file transfer), negotiated
 * over `peer.signal` with the mesh connection code (perfect negotiation; the smaller user id is
 * the polite side). Remote tracks are grouped by their sender-side stream id; each group is handed
 * over once, after the negotiation step that brought it (every track of one description arrives
 * in the same task).
 */
export class PeerLink {
  readonly mesh: MeshPc;
  readonly #remote = new Map<string, MediaStream>();
  #closed = false;
  /** A new remote MediaStream arrived. */
  onRemoteStream: (ms: MediaStream) => void = () => undefined;
  /** The connection failed for good. */
  onFailure: (why: LinkFailure) => void = () => undefined;

  constructor(port: PeerPort, peer: string, session: string) {
    const send = (payload: MeshSdpPayload): void => {
      port.send(peer, session, payload).catch((err: unknown) => log.warn(`peer signal to ${peer} failed`, err));
    };
    this.mesh = new MeshPc(
      peer,
      port.selfId() < peer,
      send,
      (state, detail) => {
        port.report(state, detail);
        if (state === 'failed') this.#fail('Ice_failed');
      },
      port.iceServers,
    );
    this.mesh.onTrack = (msid, track) => this.#onTrack(msid, track);
    this.mesh.pc.addEventListener('connectionstatechange', () => {
      if (this.mesh.pc.connectionState === 'failed') this.#fail('Ice_failed');
    });
  }

  /** The underlying connection. */
  get pc(): RTCPeerConnection {
    return this.mesh.pc;
  }

  /** Handles an offer, answer or candidate of this session (other kinds are not the link's); resolves once applied. */
  signal(payload: PeerSignalPayload): Promise<void> {
    if (payload.kind !== 'offer' && payload.kind !== 'answer' && payload.kind !== 'candidate') return Promise.resolve();
    return this.mesh.onSignal(payload).catch((err: unknown) => log.warn('peer negotiation failed', err));
  }

  /** Closes the connection (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.mesh.close();
  }

  #onTrack(msid: string, track: MediaStreamTrack): void {
    const known = this.#remote.get(msid);
    if (known) {
      for (const old of known.getTracks().filter((t) => t.kind === track.kind)) known.removeTrack(old);
      known.addTrack(track);
      return;
    }
    const ms = new MediaStream([track]);
    this.#remote.set(msid, ms);
    // The other tracks of this description arrive in the same task: hand the stream over after it.
    setTimeout(() => {
      if (!this.#closed) this.onRemoteStream(ms);
    }, 0);
  }

  #fail(why: LinkFailure): void {
    if (this.#closed) return;
    this.onFailure(why);
  }
}
