import { log } from '../util/Logger.js';
import type { ConversationServerEvent } from '../util/messages.js';
import type { Kinds, MediaPlane, PlaneConnection, PlaneDeps, PublishedMedia } from './MediaPlane.js';
import { SUBSCRIBE_TIMEOUT_MS } from './pcUtil.js';
import { MeshPc, type MeshSdpPayload } from './MeshPc.js';
import type { MeshSignal } from './MediaSignalling.js';

interface MeshWaiter {
  streamId: number;
  kinds: Kinds;
  ms: MediaStream;
  resolve: (ms: MediaStream) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Interval of the mesh receive-loss reports (`conv.qualityReport`). */
export const QUALITY_INTERVAL_MS = 5_000;

/**
 * Mesh: one {@link MeshPc} per remote participant. A subscriber asks the publisher for a stream
 * with a `subscribe` payload; the publisher adds the stream's tracks to their pair connection. The
 * subscriber maps the arriving msid to the stream it asked for: requests to one publisher are
 * served one at a time (the next `subscribe` is sent once the previous stream's tracks arrived), so
 * a new msid from that peer always belongs to the oldest pending request.
 */
export class MeshPlane implements MediaPlane {
  readonly mode = 'mesh' as const;
  readonly #deps: PlaneDeps;
  readonly #pcs = new Map<string, MeshPc>();
  readonly #msidToStream = new Map<string, number>();
  readonly #streams = new Map<number, MediaStream>();
  /** Per publisher: the request being served, then the queued ones. */
  readonly #pending = new Map<string, MeshWaiter[]>();
  /** Per peer: the streams it asked us for (stream id → msid). */
  readonly #sentTo = new Map<string, Map<number, string>>();
  readonly #lastStats = new Map<RTCPeerConnection, { lost: number; received: number }>();
  readonly #qualityTimer: ReturnType<typeof setInterval>;

  constructor(deps: PlaneDeps) {
    this.#deps = deps;
    this.#qualityTimer = setInterval(() => void this.#reportQuality(), QUALITY_INTERVAL_MS);
  }

  publish(): Promise<void> {
    // Media flows when a peer subscribes.
    return Promise.resolve();
  }

  unpublish(media: PublishedMedia): Promise<void> {
    for (const [peer, sent] of this.#sentTo) {
      if (!sent.has(media.streamId)) continue;
      sent.delete(media.streamId);
      this.#pcs.get(peer)?.removeStream(media.ms.id);
    }
    return Promise.resolve();
  }

  async replace(oldMs: MediaStream, media: PublishedMedia): Promise<void> {
    for (const [peer, sent] of this.#sentTo) {
      if (!sent.has(media.streamId)) continue;
      sent.set(media.streamId, media.ms.id);
      await this.#pcs.get(peer)?.replaceStream(oldMs.id, media.ms);
    }
  }

  async subscribe(streamId: number, publisherId: string, kinds: Kinds, announce: () => Promise<unknown>): Promise<MediaStream | null> {
    await announce();
    this.#pc(publisherId);
    return new Promise<MediaStream>((resolve, reject) => {
      const waiter: MeshWaiter = {
        streamId,
        kinds,
        ms: new MediaStream(),
        resolve,
        reject,
        timer: setTimeout(() => this.#fail(publisherId, streamId, 'media did not arrive'), SUBSCRIBE_TIMEOUT_MS),
      };
      const queue = this.#pending.get(publisherId) ?? [];
      queue.push(waiter);
      this.#pending.set(publisherId, queue);
      if (queue.length === 1) this.#ask(publisherId, waiter);
    });
  }

  unsubscribe(streamId: number, publisherId: string, ended: boolean): void {
    this.#fail(publisherId, streamId, 'unsubscribed');
    this.#streams.delete(streamId);
    for (const [msid, id] of this.#msidToStream) if (id === streamId) this.#msidToStream.delete(msid);
    if (!ended) this.#signal(publisherId, { kind: 'unsubscribe', streamId });
  }

  onEvent(event: ConversationServerEvent): void {
    if (event.type !== 'mesh.signal') return;
    const { from, payload } = event;
    switch (payload.kind) {
      case 'subscribe': {
        const media = this.#deps.published(payload.streamId);
        if (!media) return;
        const sent = this.#sentTo.get(from) ?? new Map<number, string>();
        this.#sentTo.set(from, sent);
        if (sent.has(payload.streamId)) return;
        sent.set(payload.streamId, media.ms.id);
        this.#pc(from).addStream(media.ms, { audio: media.kinds.audio && payload.audio, video: media.kinds.video && payload.video });
        return;
      }
      case 'unsubscribe': {
        const msid = this.#sentTo.get(from)?.get(payload.streamId);
        if (msid === undefined) return;
        this.#sentTo.get(from)?.delete(payload.streamId);
        this.#pcs.get(from)?.removeStream(msid);
        return;
      }
      default:
        this.#pc(from)
          .onSignal(payload)
          .catch((err: unknown) => log.warn('mesh negotiation failed', err));
    }
  }

  peerLeft(userId: string): void {
    for (const w of this.#pending.get(userId) ?? []) this.#fail(userId, w.streamId, 'publisher left');
    this.#pending.delete(userId);
    this.#sentTo.delete(userId);
    const pc = this.#pcs.get(userId);
    if (pc) {
      this.#lastStats.delete(pc.pc);
      pc.close();
    }
    this.#pcs.delete(userId);
  }

  connections(): PlaneConnection[] {
    return [...this.#pcs.values()].map((p) => ({ pc: p.pc, peer: p.remoteId }));
  }

  close(): void {
    clearInterval(this.#qualityTimer);
    for (const id of [...this.#pcs.keys()]) this.peerLeft(id);
    for (const [peer, queue] of this.#pending) for (const w of [...queue]) this.#fail(peer, w.streamId, 'closed');
  }

  #pc(peer: string): MeshPc {
    let pc = this.#pcs.get(peer);
    if (!pc) {
      // Perfect negotiation: the peer with the smaller id is the polite one.
      const polite = this.#deps.selfId < peer;
      const created = new MeshPc(peer, polite, (payload: MeshSdpPayload) => this.#signal(peer, payload), this.#deps.report, this.#deps.iceServers);
      created.onTrack = (msid, track) => this.#onTrack(peer, msid, track);
      this.#pcs.set(peer, created);
      pc = created;
    }
    return pc;
  }

  #signal(to: string, payload: MeshSignal): void {
    this.#deps.signals.meshSignal(to, payload);
  }

  #ask(publisherId: string, w: MeshWaiter): void {
    this.#signal(publisherId, { kind: 'subscribe', streamId: w.streamId, audio: w.kinds.audio, video: w.kinds.video });
  }

  #onTrack(peer: string, msid: string, track: MediaStreamTrack): void {
    let streamId = this.#msidToStream.get(msid);
    const queue = this.#pending.get(peer) ?? [];
    if (streamId === undefined) {
      const head = queue[0];
      if (!head) return;
      streamId = head.streamId;
      this.#msidToStream.set(msid, streamId);
    }
    const w = queue.find((x) => x.streamId === streamId);
    const ms = w?.ms ?? this.#streams.get(streamId);
    if (!ms) return;
    for (const old of ms.getTracks().filter((t) => t.kind === track.kind)) ms.removeTrack(old);
    ms.addTrack(track);
    if (!w) return;
    const ok = (!w.kinds.audio || ms.getAudioTracks().length > 0) && (!w.kinds.video || ms.getVideoTracks().length > 0);
    if (!ok) return;
    this.#streams.set(streamId, ms);
    this.#done(peer, w);
    w.resolve(ms);
  }

  #done(peer: string, w: MeshWaiter): void {
    clearTimeout(w.timer);
    const queue = this.#pending.get(peer) ?? [];
    const wasHead = queue[0] === w;
    const i = queue.indexOf(w);
    if (i >= 0) queue.splice(i, 1);
    if (wasHead && queue[0]) this.#ask(peer, queue[0]);
  }

  #fail(peer: string, streamId: number, reason: string): void {
    const w = (this.#pending.get(peer) ?? []).find((x) => x.streamId === streamId);
    if (!w) return;
    this.#done(peer, w);
    w.reject(new Error(reason));
  }

  async #reportQuality(): Promise<void> {
    let lost = 0;
    let received = 0;
    for (const { pc } of this.#pcs.values()) {
      let l = 0;
      let r = 0;
      try {
        const stats = await pc.getStats();
        stats.forEach((s: { type?: string; packetsLost?: number; packetsReceived?: number }) => {
          if (s.type !== 'inbound-rtp') return;
          l += s.packetsLost ?? 0;
          r += s.packetsReceived ?? 0;
        });
      } catch {
        continue;
      }
      const last = this.#lastStats.get(pc) ?? { lost: 0, received: 0 };
      this.#lastStats.set(pc, { lost: l, received: r });
      lost += Math.max(0, l - last.lost);
      received += Math.max(0, r - last.received);
    }
    if (lost + received === 0) return;
    const lossRatio = Math.min(1, lost / (lost + received));
    this.#deps.signals.qualityReport(lossRatio);
  }
}
