import { Queue, closePeerConnection, createPeerConnection, noIceServers, preferVp8, watchIce, type IceReport, type IceServersSource } from './pcUtil.js';

/** Offer/answer/candidate payloads of `mesh.signal` (the subscribe payloads are handled above). */
export type MeshSdpPayload = { kind: 'offer'; sdp: string } | { kind: 'answer'; sdp: string } | { kind: 'candidate'; candidate: string; sdpMid?: string };

/**
 * The RTCPeerConnection shared with one remote participant in a mesh conversation, negotiated with
 * the perfect-negotiation pattern: either side may add tracks and offer; on glare the polite peer
 * (the one with the smaller user id) rolls back and accepts the other's offer.
 */
export class MeshPc {
  readonly pc: RTCPeerConnection;
  readonly remoteId: string;
  readonly #polite: boolean;
  readonly #send: (payload: MeshSdpPayload) => void;
  readonly #queue = new Queue();
  readonly #senders = new Map<string, RTCRtpTransceiver[]>();
  #makingOffer = false;
  #ignoreOffer = false;
  #closed = false;
  /** Received track with its msid (`streams[0].id`). */
  onTrack: (msid: string, track: MediaStreamTrack) => void = () => undefined;

  constructor(remoteId: string, polite: boolean, send: (payload: MeshSdpPayload) => void, report: IceReport, iceServers: IceServersSource = noIceServers) {
    this.remoteId = remoteId;
    this.#polite = polite;
    this.#send = send;
    this.pc = createPeerConnection(iceServers);
    this.pc.onicecandidate = (e) => {
      if (e.candidate && e.candidate.candidate !== '')
        this.#send({ kind: 'candidate', candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid ?? undefined });
    };
    this.pc.ontrack = (e) => {
      const msid = e.streams[0]?.id;
      if (msid !== undefined) this.onTrack(msid, e.track);
    };
    this.pc.onnegotiationneeded = () => void this.#offer();
    watchIce(this.pc, `mesh:${remoteId}`, report);
  }

  /** Sends `ms` (filtered by kind) to the peer; negotiation follows by itself. */
  addStream(ms: MediaStream, kinds: { audio: boolean; video: boolean }): void {
    if (this.#senders.has(ms.id) || this.#closed) return;
    const list: RTCRtpTransceiver[] = [];
    for (const track of ms.getTracks()) {
      if ((track.kind === 'audio' && !kinds.audio) || (track.kind === 'video' && !kinds.video)) continue;
      const t = this.pc.addTransceiver(track, { direction: 'sendonly', streams: [ms] });
      if (track.kind === 'video') preferVp8(t);
      list.push(t);
    }
    this.#senders.set(ms.id, list);
  }

  /** Stops sending `msid`. */
  removeStream(msid: string): void {
    const list = this.#senders.get(msid);
    if (!list || this.#closed) return;
    this.#senders.delete(msid);
    for (const t of list) {
      try {
        this.pc.removeTrack(t.sender);
      } catch {
        // closed
      }
    }
  }

  /** Swaps the tracks sent for `msid`. */
  async replaceStream(msid: string, ms: MediaStream): Promise<void> {
    const list = this.#senders.get(msid) ?? [];
    for (const t of list) {
      const kind = t.sender.track?.kind ?? t.receiver.track.kind;
      await t.sender.replaceTrack(ms.getTracks().find((tr) => tr.kind === kind) ?? null);
    }
    this.#senders.delete(msid);
    this.#senders.set(ms.id, list);
  }

  /** Handles an offer, answer or candidate from the peer. */
  onSignal(payload: MeshSdpPayload): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#closed) return;
      if (payload.kind === 'candidate') {
        try {
          await this.pc.addIceCandidate({ candidate: payload.candidate, sdpMid: payload.sdpMid ?? '0' });
        } catch (err) {
          if (!this.#ignoreOffer) throw err;
        }
        return;
      }
      const offerCollision = payload.kind === 'offer' && (this.#makingOffer || this.pc.signalingState !== 'stable');
      this.#ignoreOffer = !this.#polite && offerCollision;
      if (this.#ignoreOffer) return;
      await this.pc.setRemoteDescription({ type: payload.kind, sdp: payload.sdp });
      if (payload.kind === 'offer') {
        await this.pc.setLocalDescription();
        this.#send({ kind: 'answer', sdp: this.pc.localDescription?.sdp ?? '' });
      }
    });
  }

  /** Closes the connection. */
  close(): void {
    this.#closed = true;
    closePeerConnection(this.pc);
  }

  async #offer(): Promise<void> {
    if (this.#closed) return;
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
      this.#send({ kind: 'offer', sdp: this.pc.localDescription?.sdp ?? '' });
    } catch {
      // a concurrent remote offer won; negotiation restarts from it
    } finally {
      this.#makingOffer = false;
    }
  }
}
