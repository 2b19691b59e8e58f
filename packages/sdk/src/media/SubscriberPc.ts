import { Queue, closePeerConnection, createPeerConnection, noIceServers, watchIce, type IceReport, type IceServersSource } from './pcUtil.js';

/** What the subscriber PC needs from the signalling layer. */
export interface SubscriberSignals {
  /** `media.subscriberAnswer`. */
  answer(sdp: string): Promise<unknown>;
  /** `media.candidate` with transport `subscriber`. */
  candidate(candidate: string, sdpMid: string | undefined): void;
}

interface Waiter {
  kinds: { audio: boolean; video: boolean };
  resolve: (ms: MediaStream) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * SFU subscriber RTCPeerConnection of one joined conversation (receive-only; the server offers).
 * Received tracks are grouped by their msid (`event.streams[0].id`), mapped to stream ids with the
 * `streams` list of the last offer, into one fresh MediaStream per subscription.
 */
export class SubscriberPc {
  #pc: RTCPeerConnection;
  readonly #report: IceReport;
  readonly #signals: SubscriberSignals;
  readonly #queue = new Queue();
  readonly #msidToStream = new Map<string, number>();
  readonly #media = new Map<number, MediaStream>();
  readonly #waiters = new Map<number, Waiter>();
  /** Tracks whose msid no offer has named yet, by msid: a later offer's stream list may. */
  readonly #unmapped = new Map<string, MediaStreamTrack[]>();
  #pendingCandidates: RTCIceCandidateInit[] = [];

  readonly #iceServers: IceServersSource;

  constructor(signals: SubscriberSignals, report: IceReport, iceServers: IceServersSource = noIceServers) {
    this.#signals = signals;
    this.#report = report;
    this.#iceServers = iceServers;
    this.#pc = this.#create();
  }

  /** The current RTCPeerConnection (a new one after the server replaced a failed connection). */
  get pc(): RTCPeerConnection {
    return this.#pc;
  }

  /** Resolves the MediaStream of `streamId` once its expected kinds arrived. */
  expect(streamId: number, kinds: { audio: boolean; video: boolean }, timeoutMs: number): Promise<MediaStream> {
    this.#media.delete(streamId);
    this.cancel(streamId, 'renewed');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(streamId);
        reject(new Error('media did not arrive'));
      }, timeoutMs);
      this.#waiters.set(streamId, { kinds, resolve, reject, timer });
    });
  }

  /** Gives up waiting for `streamId`. */
  cancel(streamId: number, reason: string): void {
    const w = this.#waiters.get(streamId);
    if (!w) return;
    clearTimeout(w.timer);
    this.#waiters.delete(streamId);
    w.reject(new Error(reason));
  }

  /** Forgets a finished subscription. */
  drop(streamId: number): void {
    this.cancel(streamId, 'unsubscribed');
    this.#media.delete(streamId);
  }

  /** Applies a server offer and answers it. */
  onOffer(sdp: string, streams: { streamId: number; msid: string }[]): Promise<void> {
    for (const s of streams) this.#msidToStream.set(s.msid, s.streamId);
    return this.#queue.run(async () => {
      const current = this.pc.remoteDescription?.sdp;
      if (current !== undefined && iceUfrag(current) !== iceUfrag(sdp)) {
        // The server never restarts ICE: new credentials mean it closed a failed connection and
        // offers from a fresh one (new certificate, mids from 0), which this PC cannot take.
        closePeerConnection(this.#pc);
        this.#unmapped.clear();
        this.#pc = this.#create();
      }
      for (const s of streams) this.#adoptUnmapped(s.msid, s.streamId);
      await this.pc.setRemoteDescription({ type: 'offer', sdp });
      const pending = this.#pendingCandidates;
      this.#pendingCandidates = [];
      for (const c of pending) await this.pc.addIceCandidate(c).catch(() => undefined);
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription(answer);
      await this.#signals.answer(this.pc.localDescription?.sdp ?? answer.sdp ?? '');
    });
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

  /** Closes the PC; pending subscriptions fail. */
  close(): void {
    for (const id of [...this.#waiters.keys()]) this.cancel(id, 'closed');
    this.#unmapped.clear();
    closePeerConnection(this.pc);
  }

  #create(): RTCPeerConnection {
    const pc = createPeerConnection(this.#iceServers);
    pc.onicecandidate = (e) => {
      if (pc === this.#pc) this.#signals.candidate(e.candidate?.candidate ?? '', e.candidate?.sdpMid ?? undefined);
    };
    pc.ontrack = (e) => this.#onTrack(e);
    watchIce(pc, 'subscriber', this.#report);
    return pc;
  }

  #onTrack(e: RTCTrackEvent): void {
    const msid = e.streams[0]?.id;
    if (msid === undefined) return;
    const streamId = this.#msidToStream.get(msid);
    if (streamId === undefined) {
      // The offer did not name this stream (a server that described it only in the next offer):
      // the track does not fire again, so it is kept until an offer does.
      const early = this.#unmapped.get(msid);
      if (early) early.push(e.track);
      else this.#unmapped.set(msid, [e.track]);
      return;
    }
    this.#attach(streamId, e.track);
  }

  /** Gives the tracks received under `msid` before any offer named it to stream `streamId`. */
  #adoptUnmapped(msid: string, streamId: number): void {
    const early = this.#unmapped.get(msid);
    if (!early) return;
    this.#unmapped.delete(msid);
    for (const track of early) if (track.readyState !== 'ended') this.#attach(streamId, track);
  }

  #attach(streamId: number, track: MediaStreamTrack): void {
    let ms = this.#media.get(streamId);
    if (!ms) {
      ms = new MediaStream();
      this.#media.set(streamId, ms);
    }
    for (const old of ms.getTracks().filter((t) => t.kind === track.kind)) ms.removeTrack(old);
    ms.addTrack(track);
    const w = this.#waiters.get(streamId);
    if (!w) return;
    const hasAudio = ms.getAudioTracks().length > 0;
    const hasVideo = ms.getVideoTracks().length > 0;
    if ((!w.kinds.audio || hasAudio) && (!w.kinds.video || hasVideo)) {
      clearTimeout(w.timer);
      this.#waiters.delete(streamId);
      w.resolve(ms);
    }
  }
}

/** `a=ice-ufrag` of a description (the first one: BUNDLE shares it). */
function iceUfrag(sdp: string): string | undefined {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
}
