import type { PeerConnection } from 'node-datachannel';
import { ConnectionWatchdog } from './ConnectionWatchdog.js';
import { Emitter, type ListenerErrorSink } from '../util/Emitter.js';
import { badSdp, closedError, noCapacity } from './errors.js';
import { PendingAnswers } from './PendingAnswers.js';
import type { CapacityReservation, MediaCapacity } from './MediaCapacity.js';
import type { MediaConfig } from './MediaConfig.js';
import type { NativeTrack } from './native.js';
import { RemoteCandidates } from './RemoteCandidates.js';
import { createMediaDescription, createPeerConnection, LocalSignalling, type NativeDirection } from './peerConnection.js';
import { PublishedTrack, type PublishedTrackOwner } from './PublishedTrack.js';
import { writeRemb } from './rtcp/remb.js';
import { REPORT_BLOCK_LENGTH, writeReceiverReportHeader } from './rtcp/reports.js';
import { randomSsrc } from './rtp/sequence.js';
import { filterPublisherOffer, type PublishedSection } from './sdp/filterPublisherOffer.js';
import { SdpError } from './sdp/SessionDescription.js';

/** Events of a {@link PublisherTransport}. */
export interface PublisherTransportEvents {
  /** The SFU's answer to the last offer (send it to the browser). */
  answer: [sdp: string];
  /** A local ICE candidate (trickle); `candidate` has no `a=` prefix. */
  candidate: [candidate: string, mid: string];
  /** PeerConnection state: new, connecting, connected, disconnected, failed, closed. */
  connectionStateChange: [state: string];
  /** An m-section started sending (new mid, or a new SSRC on a mid). */
  trackPublished: [track: PublishedTrack];
  /** A published track ended (m-section inactive/stopped, or close). */
  trackUnpublished: [track: PublishedTrack];
  /** The connection failed (ICE/DTLS failed, or unconnected past `transportTimeoutMs`); `closed` follows. */
  failed: [reason: string];
  closed: [];
}

/** Identity of the transport's owner, used for track ids and logs. @internal */
export interface TransportContext {
  peerId: string;
  config: MediaConfig;
  /** Ports and descriptors of the whole SFU: reserved before each PeerConnection. */
  capacity: MediaCapacity;
  /** Allocates a server-wide unique id. */
  nextId(prefix: string): string;
  /** Where listener and callback exceptions go. */
  errorSink: ListenerErrorSink;
}

/**
 * The participant's publishing PeerConnection: receives every stream it publishes, one
 * m-section per track, over one ICE/DTLS transport. The browser offers (and re-offers when it
 * adds or stops a stream); the SFU filters the offer to what it forwards and answers.
 */
export class PublisherTransport extends Emitter<PublisherTransportEvents> implements PublishedTrackOwner {
  readonly #ctx: TransportContext;
  #pc: PeerConnection | null = null;
  #reservation: CapacityReservation | null = null;
  readonly #watchdog: ConnectionWatchdog;
  #signalling: LocalSignalling | null = null;
  /** Active published tracks by mid (simulcast lower layers included). */
  readonly #tracks = new Map<string, PublishedTrack>();
  /** Lower simulcast layers: tracks never announced, held by their top layer. */
  readonly #hidden = new Set<PublishedTrack>();
  /** The inbound node-datachannel track of each mid (from onTrack). */
  readonly #inbound = new Map<string, NativeTrack>();
  /** Every wrapper ever created on this connection: a collected wrapper closes its track. */
  readonly #keepAlive: unknown[] = [];
  /** Local direction last forced per mid (the direction-trap fix). */
  readonly #localDirection = new Map<string, NativeDirection>();
  /** Codecs per mid from the last offer, to rebuild local descriptions. */
  readonly #sections = new Map<string, PublishedSection>();
  readonly #remoteCandidates = new RemoteCandidates();
  /** Offers applied and not answered yet: libdatachannel answers each, in order. */
  readonly #answers = new PendingAnswers();
  #rtcpTimer: NodeJS.Timeout | undefined;
  readonly #rtcpSsrc = randomSsrc();
  readonly #rtcpBuffer = Buffer.alloc(1200);
  #closed = false;

  /** @internal Created by {@link Peer}. */
  constructor(ctx: TransportContext) {
    super(ctx.errorSink);
    this.#ctx = ctx;
    this.#watchdog = new ConnectionWatchdog(ctx.config.transportTimeoutMs, (reason) => this.#fail(reason));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Active published tracks, as announced (one per simulcast group). */
  get tracks(): PublishedTrack[] {
    return [...this.#tracks.values()].filter((t) => !this.#hidden.has(t));
  }

  /** PeerConnection state, 'new' before the first offer. */
  get connectionState(): string {
    return this.#pc?.state() ?? 'new';
  }

  /**
   * Applies the browser's offer or re-offer. Synchronously validates and filters it, publishes
   * new tracks (`trackPublished`) and ends stopped ones (`trackUnpublished`). The answer comes
   * once host candidates are gathered: the returned promise resolves with it (it is also
   * emitted as `answer`), or fails with code 11 (TIMED_OUT) after `timeoutMs` (none when
   * undefined) and code 16 (WRONG_STATE) when the connection closes first.
   *
   * @throws ParleyError code 9 (BAD_PARAMETER) when the SDP is invalid, offers nothing
   *   forwardable or more than `maxSectionsPerOffer` m-sections; code 0 "not enough bandwidth"
   *   when the SFU has no port/descriptor left for a new connection; code 16 (WRONG_STATE) after close.
   */
  handleOffer(sdp: string, timeoutMs?: number, simulcast: readonly (readonly string[])[] = []): Promise<string> {
    if (this.#closed) throw closedError('publisher transport');
    let filtered;
    try {
      filtered = filterPublisherOffer(sdp, { enableH264: this.#ctx.config.enableH264, maxSections: this.#ctx.config.maxSectionsPerOffer });
    } catch (error) {
      if (error instanceof SdpError) throw badSdp(error.message);
      throw error;
    }
    const pc = this.#ensurePc();

    const ended: PublishedTrack[] = [];
    const started: PublishedSection[] = [];
    const seen = new Set<string>();
    for (const s of filtered.sections) {
      seen.add(s.mid);
      const existing = this.#tracks.get(s.mid);
      if (existing && (!s.active || s.ssrc !== existing.ssrc)) ended.push(existing);
      if (s.active && (!existing || s.ssrc !== existing.ssrc)) started.push(s);
    }
    for (const [mid, t] of this.#tracks) if (!seen.has(mid)) ended.push(t);

    // libdatachannel answers a re-offer with the local directions it had: force the ones we want
    // on every known mid whose wanted direction changed (sendonly → recvonly, else inactive).
    // A new mid needs nothing: libdatachannel derives recvonly/inactive from the offer.
    const directions = new Map<string, NativeDirection>();
    for (const s of filtered.sections) {
      if (s.codecs.length === 0) continue;
      const wanted: NativeDirection = s.active ? 'RecvOnly' : 'Inactive';
      directions.set(s.mid, wanted);
      if (this.#sections.has(s.mid) && this.#localDirection.get(s.mid) !== wanted) {
        this.#keepAlive.push(pc.addTrack(createMediaDescription(s.kind, s.mid, wanted, s.codecs)));
      }
    }

    // Registered before the call: libdatachannel may answer synchronously.
    const answer = this.#answers.add(timeoutMs);
    try {
      pc.setRemoteDescription(filtered.sdp, 'offer');
    } catch (error) {
      this.#answers.cancelLast();
      // Nothing recorded: the next offer re-applies the wanted directions.
      const message = error instanceof Error ? error.message : String(error);
      // A port of the range held by another process: reservations cannot see it (answerer side, so catchable).
      if (message.includes('Failed to gather')) throw noCapacity('media server could not open a UDP port');
      throw badSdp(message);
    }
    // The answerer gathers inside setRemoteDescription: its socket is open now.
    this.#reservation?.markOpen();
    this.#watchdog.start();
    for (const [mid, direction] of directions) this.#localDirection.set(mid, direction);
    for (const s of filtered.sections) if (s.codecs.length > 0) this.#sections.set(s.mid, s);

    for (const t of ended) t.close();
    const created = new Map<string, PublishedTrack>();
    for (const s of started) {
      const track = new PublishedTrack(
        this,
        {
          id: this.#ctx.nextId('track'),
          peerId: this.#ctx.peerId,
          mid: s.mid,
          kind: s.kind,
          streamId: s.streamId,
          trackId: s.trackId,
          ssrc: s.ssrc,
          codecs: s.codecs,
          rtcpSenderSsrc: this.#rtcpSsrc,
          audioLevelExtId: s.audioLevelExtId,
        },
        this.#ctx.config,
      );
      this.#tracks.set(s.mid, track);
      created.set(s.mid, track);
      const native = this.#inbound.get(s.mid);
      if (native) track.bind(native); // a known mid: onTrack will not fire again
    }
    this.#groupLayers(created, simulcast);
    for (const track of created.values()) if (!this.#hidden.has(track)) this.emit('trackPublished', track);
    this.#remoteCandidates.flush(this.#pc);
    return answer;
  }

  /**
   * Adds a browser ICE candidate (`candidate:…`, with or without `a=`). Empty / end-of-candidates
   * and mDNS (`.local`) candidates are ignored; candidates that arrive before the offer are queued.
   */
  addRemoteCandidate(candidate: string, mid?: string): void {
    if (this.#closed) throw closedError('publisher transport');
    this.#remoteCandidates.add(this.#pc, candidate, mid ?? this.#sections.keys().next().value ?? '0');
  }

  /** Ends every published track and closes the connection. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#rtcpTimer !== undefined) clearInterval(this.#rtcpTimer);
    this.#watchdog.close();
    for (const t of [...this.#tracks.values()]) t.close();
    this.#signalling?.close();
    const pc = this.#pc;
    this.#pc = null;
    try {
      pc?.close();
    } catch {
      // already closed
    }
    // After close(): libdatachannel closes the socket synchronously, so its port is free again.
    this.#reservation?.release();
    this.#reservation = null;
    this.#inbound.clear();
    this.#keepAlive.length = 0;
    this.#remoteCandidates.clear();
    this.#answers.rejectAll();
    this.emit('closed');
    this.removeAllListeners();
  }

  /** @internal {@link PublishedTrackOwner} */
  publishedTrackClosed(track: PublishedTrack): void {
    if (this.#tracks.get(track.mid) === track) this.#tracks.delete(track.mid);
    if (this.#hidden.delete(track)) return; // a lower simulcast layer was never announced
    this.emit('trackUnpublished', track);
  }

  /**
   * Simulcast (see docs/media-plane.md): each group lists the mids of one source's encodings,
   * highest first. The highest becomes the announced track, holding the others as its layers.
   * Only video tracks created by this offer are grouped; a group naming anything else is ignored.
   */
  #groupLayers(created: Map<string, PublishedTrack>, groups: readonly (readonly string[])[]): void {
    for (const mids of groups) {
      const tracks = mids.map((m) => created.get(m));
      if (tracks.length < 2 || new Set(mids).size !== mids.length) continue;
      if (!tracks.every((t): t is PublishedTrack => t !== undefined && t.kind === 'video' && !this.#hidden.has(t) && t.layers.length === 1)) continue;
      const [top, ...lower] = tracks;
      lower.reverse(); // low → high
      top!.setLayers(lower);
      for (const t of lower) this.#hidden.add(t);
    }
  }

  #fail(reason: string): void {
    if (this.#closed) return;
    this.emit('failed', reason);
    this.close();
  }

  /** @throws ParleyError code 0 when the SFU has no room for another connection */
  #ensurePc(): PeerConnection {
    if (this.#pc !== null) return this.#pc;
    const reservation = this.#ctx.capacity.reserve();
    let pc: PeerConnection;
    try {
      pc = createPeerConnection(`pub-${this.#ctx.peerId}`, this.#ctx.config, true);
    } catch (error) {
      reservation.release();
      throw error;
    }
    this.#reservation = reservation;
    // Answerer: candidates travel inside the answer (see CandidatePolicy).
    this.#signalling = new LocalSignalling(pc, this.#ctx.config.announcedAddress, 'in-description', {
      description: (type, sdp) => {
        if (this.#closed || type !== 'answer') return;
        this.#answers.resolveOldest(sdp);
        this.emit('answer', sdp);
      },
      candidate: (candidate, mid) => {
        if (!this.#closed) this.emit('candidate', candidate, mid);
      },
    });
    pc.onStateChange((state) => {
      if (this.#closed) return;
      this.emit('connectionStateChange', state);
      this.#watchdog.stateChanged(state);
    });
    pc.onTrack((native) => {
      if (this.#closed) return;
      this.#keepAlive.push(native);
      const mid = native.mid();
      this.#inbound.set(mid, native);
      this.#tracks.get(mid)?.bind(native);
    });
    this.#pc = pc;
    this.#rtcpTimer = setInterval(this.#sendReports, this.#ctx.config.rtcpIntervalMs);
    this.#rtcpTimer.unref();
    return pc;
  }

  /**
   * Once per RTCP interval: one compound packet with a receiver report block per track
   * (RFC 3550 §6.4.2: loss for Chromium's loss-based estimate, LSR/DLSR for its RTT) and a REMB
   * asking for the sum of the video tracks' targets (Chromium applies a REMB to its whole
   * send estimate, so one message must cover every video SSRC).
   */
  readonly #sendReports = (): void => {
    if (this.#closed) return;
    const buf = this.#rtcpBuffer;
    let blocks = 0;
    let off = 8;
    let sender: NativeTrack | null = null;
    let bitrate = 0;
    const videoSsrcs: number[] = [];
    const now = performance.now();
    for (const t of this.#tracks.values()) t.measure(now);
    for (const t of this.#tracks.values()) if (t.layers.length > 1) t.layersMeasured();
    for (const t of this.#tracks.values()) {
      const native = this.#inbound.get(t.mid);
      if (native === undefined) continue;
      sender ??= native; // any track of the connection carries RTCP for all (BUNDLE)
      if (blocks < 31 && t.receiveStats.writeReportBlock(buf, off, t.ssrc)) {
        // Audio: the worst of this leg's loss and the subscribers' (Opus FEC follows it; see DownstreamLoss).
        if (t.kind === 'audio') buf[off + 4] = Math.max(buf[off + 4]!, t.downstreamLoss.current(now));
        off += REPORT_BLOCK_LENGTH;
        blocks++;
      }
      if (t.kind === 'video') {
        bitrate += t.computeTargetBitrate();
        videoSsrcs.push(t.ssrc);
      }
    }
    if (sender === null || (blocks === 0 && videoSsrcs.length === 0)) return;
    writeReceiverReportHeader(buf, 0, this.#rtcpSsrc, blocks);
    if (videoSsrcs.length > 0) off += writeRemb(buf, off, this.#rtcpSsrc, bitrate, videoSsrcs);
    try {
      sender.sendMessageBinary(buf.subarray(0, off));
    } catch {
      // not open yet
    }
  };
}
