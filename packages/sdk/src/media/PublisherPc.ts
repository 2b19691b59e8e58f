import type { SimulcastEncoding } from './MediaPlane.js';
import {
  Queue,
  closePeerConnection,
  createPeerConnection,
  noIceServers,
  preferVp8,
  watchIce,
  whenConnected,
  type IceReport,
  type IceServersSource,
} from './pcUtil.js';

/** What the publisher PC needs from the signalling layer. */
export interface PublisherSignals {
  /** `media.publisherOffer`; resolves the answer SDP. */
  offer(sdp: string, simulcast?: string[][]): Promise<string>;
  /** `media.candidate` with transport `publisher` (empty candidate = end). */
  candidate(candidate: string, sdpMid: string | undefined): void;
}

/** Connection timeout of a publication's media leg. */
const CONNECT_TIMEOUT_MS = 20_000;

/**
 * SFU publisher RTCPeerConnection of one joined conversation (send-only; the browser offers).
 * Each published MediaStream's tracks are sent on their own send-only transceivers with
 * `streams: [mediaStream]`, so the SDP's msid is the announced one. Every change re-offers.
 */
export class PublisherPc {
  readonly pc: RTCPeerConnection;
  readonly #signals: PublisherSignals;
  readonly #queue = new Queue();
  readonly #senders = new Map<string, RTCRtpTransceiver[]>();
  /** Simulcast groups: the transceivers of one video's encodings, highest first. */
  readonly #groups = new Map<string, RTCRtpTransceiver[]>();
  #pendingCandidates: RTCIceCandidateInit[] = [];
  #closed = false;

  constructor(signals: PublisherSignals, report: IceReport, iceServers: IceServersSource = noIceServers) {
    this.#signals = signals;
    this.pc = createPeerConnection(iceServers);
    this.pc.onicecandidate = (e) => this.#signals.candidate(e.candidate?.candidate ?? '', e.candidate?.sdpMid ?? undefined);
    watchIce(this.pc, 'publisher', report);
  }

  /** Adds the tracks of `ms` (filtered by kind), negotiates, and resolves once the PC is connected. */
  async add(ms: MediaStream, kinds: { audio: boolean; video: boolean }, simulcast?: SimulcastEncoding[]): Promise<void> {
    await this.#queue.run(async () => {
      const list: RTCRtpTransceiver[] = [];
      for (const track of ms.getTracks()) {
        if ((track.kind === 'audio' && !kinds.audio) || (track.kind === 'video' && !kinds.video)) continue;
        if (track.kind === 'video' && simulcast && simulcast.length > 1) {
          // One transceiver per encoding of the same track (see docs/media-plane.md: the SFU's
          // libdatachannel routes RTP by the SSRCs of the SDP, which rid simulcast leaves out).
          const group = simulcast.map((e) => {
            const t = this.pc.addTransceiver(track, {
              direction: 'sendonly',
              streams: [ms],
              sendEncodings: [{ maxBitrate: e.maxBitrate, scaleResolutionDownBy: e.scaleResolutionDownBy }],
            });
            preferVp8(t);
            keepResolution(t.sender);
            return t;
          });
          this.#groups.set(ms.id, group);
          list.push(...group);
          continue;
        }
        const t = this.pc.addTransceiver(track, { direction: 'sendonly', streams: [ms] });
        if (track.kind === 'video') preferVp8(t);
        list.push(t);
      }
      this.#senders.set(ms.id, list);
      await this.#negotiate();
    });
    await whenConnected(this.pc, CONNECT_TIMEOUT_MS);
  }

  /** Stops sending `msid`'s tracks and re-offers. */
  async remove(msid: string): Promise<void> {
    const list = this.#senders.get(msid);
    if (!list || this.#closed) return;
    this.#senders.delete(msid);
    this.#groups.delete(msid);
    await this.#queue.run(async () => {
      for (const t of list) {
        try {
          this.pc.removeTrack(t.sender);
          t.direction = 'inactive';
        } catch {
          // closed meanwhile
        }
      }
      await this.#negotiate();
    });
  }

  /** Swaps the tracks sent for `msid` (RTCRtpSender.replaceTrack, no renegotiation when kinds match). */
  async replace(msid: string, ms: MediaStream): Promise<void> {
    const list = this.#senders.get(msid) ?? [];
    for (const t of list) {
      const kind = t.sender.track?.kind ?? t.receiver.track.kind;
      const track = ms.getTracks().find((tr) => tr.kind === kind) ?? null;
      await t.sender.replaceTrack(track);
    }
    this.#senders.delete(msid);
    this.#senders.set(ms.id, list);
    const group = this.#groups.get(msid);
    this.#groups.delete(msid);
    if (group) this.#groups.set(ms.id, group);
  }

  /** Applies a trickled server candidate. */
  async addCandidate(candidate: string, sdpMid: string | undefined): Promise<void> {
    if (candidate === '') return;
    const init: RTCIceCandidateInit = { candidate, sdpMid: sdpMid ?? '0', sdpMLineIndex: sdpMid === undefined ? 0 : null };
    if (!this.pc.remoteDescription) {
      this.#pendingCandidates.push(init);
      return;
    }
    await this.pc.addIceCandidate(init).catch(() => undefined);
  }

  /** Closes the PC. */
  close(): void {
    this.#closed = true;
    closePeerConnection(this.pc);
  }

  async #negotiate(): Promise<void> {
    if (this.#closed) return;
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    // Mids exist once the local description is set; only groups still sending are listed.
    const groups = [...this.#groups.values()].map((g) => g.map((t) => t.mid)).filter((mids): mids is string[] => mids.every((m) => m !== null));
    const sdp = await this.#signals.offer(this.pc.localDescription?.sdp ?? offer.sdp ?? '', groups);
    if (this.#closed) return;
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    const pending = this.#pendingCandidates;
    this.#pendingCandidates = [];
    for (const c of pending) await this.pc.addIceCandidate(c).catch(() => undefined);
  }
}

/**
 * Simulcast layers are the resolution ladder: each encoding keeps its resolution and lowers its
 * frame rate under CPU or bandwidth pressure, instead of Chromium shrinking the top layer to the
 * size of the one below it. Best effort: a browser without the setting keeps its default.
 */
function keepResolution(sender: RTCRtpSender): void {
  try {
    const params = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: string };
    params.degradationPreference = 'maintain-resolution';
    sender.setParameters(params).catch(() => undefined);
  } catch {
    // not supported before negotiation here: the default applies
  }
}
