import type { Audio, PeerConnection, Video } from 'node-datachannel';
import { subscriberCodecs, type ForwardedCodec, type MediaKind } from './codecs.js';
import { ConnectionWatchdog } from './ConnectionWatchdog.js';
import { Emitter } from '../util/Emitter.js';
import { badSdp, closedError, wrongState } from './errors.js';
import type { CapacityReservation } from './MediaCapacity.js';
import { ForwardedTrack, type ForwardedTrackOwner } from './ForwardedTrack.js';
import type { NativeTrack } from './native.js';
import { RemoteCandidates } from './RemoteCandidates.js';
import { createMediaDescription, createPeerConnection, LocalSignalling } from './peerConnection.js';
import type { PublishedTrack } from './PublishedTrack.js';
import type { TransportContext } from './PublisherTransport.js';
import { ProbeClusters } from './bwe/ProbeClusters.js';
import { TRANSPORT_CC_EXT_ID, TRANSPORT_CC_URI } from './bwe/transportCc.js';
import { NackBudget } from './rtcp/NackBudget.js';
import { randomSsrc } from './rtp/sequence.js';
import { readAnswerSections } from './sdp/answerFormats.js';
import { SdpError } from './sdp/SessionDescription.js';

/** Events of a {@link SubscriberTransport}. */
export interface SubscriberTransportEvents {
  /** An offer from the SFU (first one, or a renegotiation); answer with `handleAnswer`. */
  offer: [sdp: string];
  /** A local ICE candidate (trickle); `candidate` has no `a=` prefix. */
  candidate: [candidate: string, mid: string];
  /** PeerConnection state: new, connecting, connected, disconnected, failed, closed. */
  connectionStateChange: [state: string];
  /** The connection failed (ICE/DTLS failed, unconnected past `transportTimeoutMs`, or negotiation threw); `closed` follows. */
  failed: [reason: string];
  closed: [];
}

/** One m-section of the subscriber connection. */
interface Slot {
  readonly mid: string;
  readonly kind: MediaKind;
  /** The subscription using it; null once it ended (the mid is then inactive or about to be). */
  forwarded: ForwardedTrack | null;
  /** True once an answer confirmed the mid inactive: it may carry a new subscription. */
  reusable: boolean;
}

/**
 * The participant's subscribing PeerConnection: sends every stream it subscribed to, one
 * sendonly m-section each, over one ICE/DTLS transport. The SFU offers whenever the set
 * changes (changes in the same tick are batched into one offer, and changes during an offer wait
 * for its answer); ended subscriptions turn their mid inactive, and a later subscription of the
 * same kind reuses it, so the SDP does not grow without bound.
 */
export class SubscriberTransport extends Emitter<SubscriberTransportEvents> implements ForwardedTrackOwner {
  readonly #ctx: TransportContext;
  #pc: PeerConnection | null = null;
  /** Taken at the first subscription, before any native call; released by close(). */
  #reservation: CapacityReservation | null = null;
  readonly #watchdog: ConnectionWatchdog;
  #signalling: LocalSignalling | null = null;
  readonly #slots: Slot[] = [];
  /** Slots whose local description must change at the next offer. */
  #dirty = new Set<Slot>();
  /** Slots changed by the offer awaiting its answer. */
  #inFlight: Slot[] = [];
  #offering = false;
  #scheduled = false;
  readonly #keepAlive: unknown[] = [];
  readonly #remoteCandidates = new RemoteCandidates();
  #remb = 0;
  #closed = false;
  readonly #cname = `parley-${randomSsrc().toString(36)}`;
  /** @internal {@link ForwardedTrackOwner}: retransmissions this connection may still get. */
  readonly nackBudget: NackBudget;
  /** @internal {@link ForwardedTrackOwner}: the connection's bandwidth probes (transport-cc). */
  readonly probes = new ProbeClusters();

  /** @internal Created by {@link Peer}. */
  constructor(ctx: TransportContext) {
    super(ctx.errorSink);
    this.#ctx = ctx;
    this.nackBudget = new NackBudget(ctx.config.nackRetransmitRatio, ctx.config.nackBurst, ctx.config.nackRepeatWindowMs);
    this.#watchdog = new ConnectionWatchdog(ctx.config.transportTimeoutMs, (reason) => this.#fail(reason));
    this.probes.onResult = (bitrate, now) => {
      for (const s of this.#slots) if (s.forwarded && s.kind === 'video') s.forwarded.probed(bitrate, now);
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Current subscriptions. */
  get tracks(): ForwardedTrack[] {
    const out: ForwardedTrack[] = [];
    for (const s of this.#slots) if (s.forwarded) out.push(s.forwarded);
    return out;
  }

  /** PeerConnection state, 'new' before the first offer. */
  get connectionState(): string {
    return this.#pc?.state() ?? 'new';
  }

  /** True while an offer waits for its answer. */
  get negotiating(): boolean {
    return this.#offering;
  }

  /** @internal {@link ForwardedTrackOwner}: the connection's REMB divided among its video tracks. */
  get videoBitrateShare(): number {
    if (this.#remb === 0) return 0;
    let videos = 0;
    for (const s of this.#slots) if (s.forwarded && s.kind === 'video') videos++;
    return videos === 0 ? 0 : this.#remb / videos;
  }

  /**
   * Starts forwarding `source` to this participant: allocates an m-section (reusing an inactive
   * mid of the same kind if any) and schedules an offer. Media flows once the answer is applied.
   *
   * @throws ParleyError code 16 after close or when `source` is closed; code 0 "not enough
   *   bandwidth" when the SFU has no port/descriptor left for this participant's connection.
   */
  subscribe(source: PublishedTrack): ForwardedTrack {
    if (this.#closed) throw closedError('subscriber transport');
    if (source.closed) throw closedError(`track ${source.id}`);
    // The connection is created later (in setImmediate, where a native failure cannot be
    // reported to anyone): reserve its socket now so the refusal reaches this request.
    this.#reservation ??= this.#ctx.capacity.reserve();
    let slot = this.#slots.find((s) => s.reusable && s.kind === source.kind && !this.#dirty.has(s));
    if (slot === undefined) {
      slot = { mid: String(this.#slots.length), kind: source.kind, forwarded: null, reusable: false };
      this.#slots.push(slot);
    }
    slot.reusable = false;
    const forwarded = new ForwardedTrack(this, this.#ctx.nextId('sub'), source, slot.mid, randomSsrc(), this.#ctx.config.enableH264);
    slot.forwarded = forwarded;
    this.#dirty.add(slot);
    this.#schedule();
    return forwarded;
  }

  /**
   * Applies the browser's answer to the last offer.
   *
   * @throws ParleyError code 9 on an invalid SDP, code 16 when no offer is outstanding or after close.
   */
  handleAnswer(sdp: string): void {
    if (this.#closed) throw closedError('subscriber transport');
    if (!this.#offering || this.#pc === null) throw wrongState('no subscriber offer is waiting for an answer');
    let sections;
    try {
      sections = readAnswerSections(sdp);
    } catch (error) {
      if (error instanceof SdpError) throw badSdp(error.message);
      throw error;
    }
    try {
      this.#pc.setRemoteDescription(sdp, 'answer');
    } catch (error) {
      throw badSdp(error instanceof Error ? error.message : String(error));
    }
    this.#offering = false;
    this.#signalling?.remoteDescriptionApplied();
    const inFlight = this.#inFlight;
    this.#inFlight = [];
    // Before the tracks hear of the answer: it decides their first simulcast layer.
    if (sections.some((a) => a.transportCc && !a.rejected)) this.probes.enabled = true;
    for (const slot of inFlight) {
      const f = slot.forwarded;
      if (f === null) {
        slot.reusable = !this.#dirty.has(slot);
        continue;
      }
      const answered = sections.find((a) => a.mid === slot.mid);
      f.negotiated(answered && !answered.rejected ? answered.payloadTypes : []);
    }
    this.#remoteCandidates.flush(this.#pc);
    if (this.#dirty.size > 0) this.#schedule();
  }

  /** Adds a browser ICE candidate; see {@link PublisherTransport.addRemoteCandidate}. */
  addRemoteCandidate(candidate: string, mid?: string): void {
    if (this.#closed) throw closedError('subscriber transport');
    this.#remoteCandidates.add(this.#pc, candidate, mid ?? this.#slots[0]?.mid ?? '0');
  }

  /** Ends every subscription and closes the connection. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watchdog.close();
    for (const s of this.#slots) s.forwarded?.close();
    this.#signalling?.close();
    const pc = this.#pc;
    this.#pc = null;
    try {
      pc?.close();
    } catch {
      // already closed
    }
    this.#reservation?.release();
    this.#reservation = null;
    this.#remoteCandidates.clear();
    this.#keepAlive.length = 0;
    this.#dirty.clear();
    this.#inFlight = [];
    this.emit('closed');
    this.removeAllListeners();
  }

  /** @internal {@link ForwardedTrackOwner} */
  forwardedTrackClosed(track: ForwardedTrack): void {
    const slot = this.#slots.find((s) => s.forwarded === track);
    if (slot === undefined) return;
    slot.forwarded = null;
    if (this.#closed) return;
    this.#dirty.add(slot);
    this.#schedule();
  }

  /** @internal {@link ForwardedTrackOwner}: the connection's last REMB, bit/s. */
  get remb(): number {
    return this.#remb;
  }

  /** @internal {@link ForwardedTrackOwner} */
  onRemb(bitrate: number): void {
    this.#remb = bitrate;
    // Simulcast subscriptions choose their layer from the new estimate.
    for (const s of this.#slots) if (s.forwarded && s.kind === 'video') s.forwarded.reselect();
  }

  #schedule(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    setImmediate(() => {
      // Nothing catches in setImmediate: an exception would end the process.
      try {
        this.#negotiate();
      } catch (error) {
        this.errorSink(error, 'subscriber negotiation');
      }
    });
  }

  #fail(reason: string): void {
    if (this.#closed) return;
    this.emit('failed', reason);
    this.close();
  }

  /**
   * Runs from setImmediate: nothing above can catch what it throws, so a failure of the native
   * calls fails this connection instead of the process.
   */
  readonly #negotiate = (): void => {
    this.#scheduled = false;
    if (this.#closed || this.#offering || this.#dirty.size === 0) return;
    try {
      this.#offer();
    } catch (error) {
      this.#fail(`negotiation failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  /** Applies the dirty slots to the local description and makes one offer. */
  #offer(): void {
    const pc = this.#ensurePc();
    const slots = [...this.#dirty];
    this.#dirty.clear();
    for (const slot of slots) {
      const f = slot.forwarded;
      if (f === null) {
        // Ended: the same mid turned inactive (track.close() would kill the mid for good).
        const description = createMediaDescription(slot.kind, slot.mid, 'Inactive', codecsFor(slot.kind, this.#ctx.config.enableH264));
        this.#keepAlive.push(pc.addTrack(description));
      } else {
        const codecs = codecsFor(slot.kind, this.#ctx.config.enableH264);
        const description = createMediaDescription(slot.kind, slot.mid, 'SendOnly', codecs);
        if (slot.kind === 'video') offerTransportCc(description, codecs);
        description.addSSRC(f.ssrc, this.#cname, f.streamId, f.trackId);
        const native = pc.addTrack(description) as NativeTrack;
        this.#keepAlive.push(native);
        f.bind(native);
      }
    }
    this.#inFlight = slots;
    this.#offering = true;
    // A gathering failure here is a C++ abort (node-datachannel does not catch it): the
    // reservation taken in subscribe() is what guarantees the socket exists.
    pc.setLocalDescription();
    this.#reservation?.markOpen();
    this.#watchdog.start();
  }

  #ensurePc(): PeerConnection {
    if (this.#pc !== null) return this.#pc;
    this.#reservation ??= this.#ctx.capacity.reserve();
    const pc = createPeerConnection(`sub-${this.#ctx.peerId}`, this.#ctx.config, false);
    // Offerer: candidates only once the answer is applied (see CandidatePolicy: a libdatachannel race).
    this.#signalling = new LocalSignalling(pc, this.#ctx.config.announcedAddress, 'after-remote-description', {
      description: (type, sdp) => {
        if (!this.#closed && type === 'offer') this.emit('offer', sdp);
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
    this.#pc = pc;
    return pc;
  }
}

/** The subscriber-side codecs of a kind with their payload types. */
function codecsFor(kind: MediaKind, enableH264: boolean): { payloadType: number; codec: ForwardedCodec }[] {
  return subscriberCodecs(kind, enableH264).map((codec) => ({ payloadType: codec.subscriberPayloadType, codec }));
}

/**
 * Offers the transport-cc header extension and feedback on a video m-section: the SFU numbers its
 * probe clusters with it (media keeps REMB, see {@link ProbeClusters}).
 */
function offerTransportCc(description: Video | Audio, codecs: readonly { payloadType: number }[]): void {
  description.parseSdpLine(`a=extmap:${TRANSPORT_CC_EXT_ID} ${TRANSPORT_CC_URI}`);
  for (const { payloadType } of codecs) description.parseSdpLine(`a=rtcp-fb:${payloadType} transport-cc`);
}
