import { ErrorCode, type MediaWorkerCommand, type MediaWorkerEvent, ParleyError } from '@parley/protocol';
import { TrackCapture } from '../recording/TrackCapture.js';
import type { ForwardedTrack } from '../media/ForwardedTrack.js';
import { peerTotals } from '../media/peerTotals.js';
import type { Peer } from '../media/Peer.js';
import type { PublishedTrack } from '../media/PublishedTrack.js';
import type { Room } from '../media/Room.js';
import type { Sfu } from '../media/Sfu.js';

/** Period of the load/counter report to the main process, ms. */
export const STATS_PERIOD_MS = 1_000;

/**
 * The worker side of the channel: applies the main process's commands to an ordinary in-process
 * {@link Sfu} and turns the SFU's events into channel events. Everything per packet (forwarding,
 * RTCP, recording capture) stays in this process.
 */
export class WorkerHost {
  readonly #sfu: Sfu;
  readonly #send: (event: MediaWorkerEvent) => void;
  readonly #captures = new Map<string, TrackCapture>();
  readonly #timer: NodeJS.Timeout;
  #unsubscribing = false;
  /** Forwarded tracks whose simulcast layer changes are reported already. */
  readonly #watchedForwards = new WeakSet<ForwardedTrack>();

  constructor(sfu: Sfu, send: (event: MediaWorkerEvent) => void) {
    this.#sfu = sfu;
    this.#send = send;
    this.#timer = setInterval(() => this.#sendStats(), STATS_PERIOD_MS);
    this.#timer.unref();
  }

  /** Applies one (validated) command. Failures go back as `failure` (requests) or `refused`. */
  handle(command: MediaWorkerCommand): void {
    try {
      this.#apply(command);
    } catch (error) {
      const code = error instanceof ParleyError ? error.code : ErrorCode.OTHER;
      const message = error instanceof Error ? error.message : String(error);
      if ('req' in command) this.#send({ ev: 'failure', req: command.req, code, message });
      else if ('room' in command) {
        this.#send({
          ev: 'refused',
          op: command.op,
          room: command.room,
          ...('peer' in command ? { peer: command.peer } : {}),
          ...('track' in command ? { track: command.track } : {}),
          code,
          message,
        });
      }
    }
  }

  /** Stops the captures (files flushed) and the SFU. Idempotent. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all([...this.#captures.values()].map((c) => c.stop()));
    this.#captures.clear();
    this.#sfu.close();
  }

  #apply(c: MediaWorkerCommand): void {
    switch (c.op) {
      case 'createRoom':
        this.#watchRoom(this.#sfu.createRoom(c.room));
        return;
      case 'closeRoom':
        this.#sfu.getRoom(c.room)?.close();
        return;
      case 'addPeer': {
        const room = this.#room(c.room);
        this.#watchPeer(room, room.addPeer(c.peer));
        return;
      }
      case 'closePeer':
        this.#sfu.getRoom(c.room)?.getPeer(c.peer)?.close();
        return;
      case 'publisherOffer': {
        const { req } = c;
        this.#peer(c.room, c.peer)
          .handlePublisherOffer(c.sdp, c.timeoutMs, c.simulcast)
          .then(
            (answer) => this.#send({ ev: 'reply', req, sdp: answer.sdp }),
            (error: unknown) =>
              this.#send({ ev: 'failure', req, code: error instanceof ParleyError ? error.code : ErrorCode.OTHER, message: String((error as Error).message) }),
          );
        return;
      }
      case 'subscriberAnswer':
        this.#peer(c.room, c.peer).handleSubscriberAnswer(c.sdp);
        return;
      case 'candidate':
        this.#peer(c.room, c.peer).addRemoteCandidate(c.transport, c.candidate, c.sdpMid);
        return;
      case 'subscribe': {
        const forwarded = this.#peer(c.room, c.peer).subscribe(c.track);
        if (forwarded.layerCount > 1 && !this.#watchedForwards.has(forwarded)) {
          this.#watchedForwards.add(forwarded);
          const { room, peer, track } = c;
          forwarded.on('layerChanged', (layer) => this.#send({ ev: 'layerChanged', room, peer, source: track, layer }));
        }
        return;
      }
      case 'preferLayer':
        this.#sfu
          .getRoom(c.room)
          ?.getPeer(c.peer)
          ?.subscriptions.find((f) => f.source.id === c.track)
          ?.setPreferredLayer(c.layer);
        return;
      case 'unsubscribe':
        // The main process forgot this subscription already: no `subscriptionEnded` for it (it
        // could arrive after a new subscription to the same track and end that one).
        this.#unsubscribing = true;
        try {
          this.#sfu.getRoom(c.room)?.getPeer(c.peer)?.unsubscribe(c.track);
        } finally {
          this.#unsubscribing = false;
        }
        return;
      case 'startCapture': {
        const track = this.#room(c.room).getTrack(c.track);
        if (!track) throw new ParleyError(ErrorCode.NOT_FOUND, `unknown track ${c.track}`);
        const capture = new TrackCapture(track, c.file);
        this.#captures.set(c.capture, capture);
        const id = c.capture;
        capture.on('started', (at) => this.#send({ ev: 'captureStarted', capture: id, at }));
        capture.start();
        return;
      }
      case 'stopCapture': {
        const { req } = c;
        const capture = this.#captures.get(c.capture);
        this.#captures.delete(c.capture);
        void (capture?.stop() ?? Promise.resolve()).then(() => this.#send({ ev: 'reply', req }));
        return;
      }
    }
  }

  #room(id: string): Room {
    const room = this.#sfu.getRoom(id);
    if (!room) throw new ParleyError(ErrorCode.WRONG_STATE, `room ${id} is closed`);
    return room;
  }

  #peer(roomId: string, peerId: string): Peer {
    const peer = this.#room(roomId).getPeer(peerId);
    if (!peer) throw new ParleyError(ErrorCode.WRONG_STATE, `peer ${peerId} left room ${roomId}`);
    return peer;
  }

  #watchRoom(room: Room): void {
    const id = room.id;
    room.on('trackPublished', (track, peer) => this.#send({ ev: 'trackPublished', room: id, peer: peer.id, track: describeTrack(track) }));
    room.on('trackUnpublished', (track, peer) => this.#send({ ev: 'trackUnpublished', room: id, peer: peer.id, track: track.id }));
    room.on('dominantSpeakerChanged', (track, peer) => this.#send({ ev: 'dominantSpeakerChanged', room: id, peer: peer.id, track: track.id }));
  }

  #watchPeer(room: Room, peer: Peer): void {
    const base = { room: room.id, peer: peer.id };
    peer.on('publisherSdp', (d) => this.#send({ ev: 'publisherSdp', ...base, sdp: d.sdp }));
    peer.on('subscriberSdp', (d) =>
      this.#send({
        ev: 'subscriberSdp',
        ...base,
        sdp: d.sdp,
        subscriptions: peer.subscriptions.map((f) => ({ id: f.id, source: f.source.id, kind: f.kind, mid: f.mid, streamId: f.streamId })),
      }),
    );
    peer.on('candidate', (c) => this.#send({ ev: 'candidate', ...base, transport: c.transport, candidate: c.candidate, sdpMid: c.sdpMid }));
    peer.on('connectionStateChange', (transport, state) => this.#send({ ev: 'connectionState', ...base, transport, state }));
    peer.on('transportFailed', (transport, reason) => this.#send({ ev: 'transportFailed', ...base, transport, reason }));
    peer.on('subscriptionEnded', (f) => {
      if (!this.#unsubscribing) this.#send({ ev: 'subscriptionEnded', ...base, source: f.source.id });
    });
    peer.on('closed', () => this.#send({ ev: 'peerClosed', ...base }));
  }

  #sendStats(): void {
    const peers = [];
    for (const room of this.#sfu.rooms) {
      for (const peer of room.peers) {
        peers.push({ room: room.id, peer: peer.id, ...peerTotals(peer.getStats()) });
      }
    }
    const cpu = process.cpuUsage();
    const { reserved, refused } = this.#sfu.capacity;
    this.#send({ ev: 'stats', peers, reserved, refused, cpuMicros: cpu.user + cpu.system });
  }
}

function describeTrack(track: PublishedTrack): { id: string; kind: 'audio' | 'video'; streamId: string; mid: string; codec: string | null; layers: number } {
  return { id: track.id, kind: track.kind, streamId: track.streamId, mid: track.mid, codec: track.codecs[0]?.codec.name ?? null, layers: track.layers.length };
}
