import { Emitter } from '../util/Emitter.js';
import type { ForwardedTrackEvents, ForwardedTrackOwner, ForwardedTrackStats } from './forwardedTrackTypes.js';
import { forEachTransportCcStatus } from './bwe/transportCc.js';
import { subscriberCodecs, type ForwardedCodec, type MediaKind } from './codecs.js';
import type { NativeTrack } from './native.js';
import type { PublishedTrack, TrackOutput } from './PublishedTrack.js';
import { PADDING_PACKET_SIZE, RtpRewriter } from './rtp/RtpRewriter.js';
import { readU32 } from './rtp/RtpPacket.js';
import { RedUnwrapper } from './rtp/red.js';
import { forEachNacked, isFirFor, isPliFor, type NackSink } from './rtcp/feedback.js';
import { NackVerdict, type NackBudget } from './rtcp/NackBudget.js';
import { nextRtcpPacket } from './rtcp/RtcpPacket.js';
import { readRembBitrate, rembSsrc, rembSsrcCount } from './rtcp/remb.js';
import { reportedFractionLost, SR_LENGTH, translateSenderReport } from './rtcp/reports.js';
import type { LayerTapOwner } from './simulcast/LayerTap.js';
import { LayerState } from './simulcast/LayerState.js';
import { ProbeSender, type PaddingSink } from './simulcast/ProbeSender.js';

export type { ForwardedTrackEvents, ForwardedTrackOwner, ForwardedTrackStats } from './forwardedTrackTypes.js';

/**
 * Least estimate of the subscriber's connection (REMB, bit/s) for which RED is forwarded as it
 * is (and before the first REMB); below it, the subscriber gets the Opus inside. RED adds about
 * the Opus rate again (30–50 kbit/s): on the 400 kbit/s bench link, forwarding it cost 2.0–2.5 s
 * of frozen video in 20 s (3 runs), against 0 without.
 */
const RED_MIN_ESTIMATE = 600_000;

/**
 * One published track as forwarded to one subscriber: an m-section of the subscriber's
 * connection with its own SSRC. Rewrites RTP headers (SSRC, payload type, sequence number,
 * timestamp) in place and sends; answers the subscriber's RTCP: PLI/FIR → throttled keyframe
 * request to the source, NACK → retransmission from the source's packet cache, REMB → bitrate
 * share; translates the source's sender reports.
 */
export class ForwardedTrack extends Emitter<ForwardedTrackEvents> implements TrackOutput, NackSink, LayerTapOwner, PaddingSink {
  /** Server-wide unique id of this subscription. */
  readonly id: string;
  /** The published track forwarded. */
  readonly source: PublishedTrack;
  readonly kind: MediaKind;
  /** mid of its m-section on the subscriber's connection. */
  readonly mid: string;
  /** SSRC towards the subscriber. */
  readonly ssrc: number;
  /** msid stream id towards the subscriber (the source's stream id). */
  readonly streamId: string;
  /** msid track id towards the subscriber (the source's id, unique on the server). */
  readonly trackId: string;
  /** Codecs offered for this m-section, in order. */
  readonly offeredCodecs: readonly ForwardedCodec[];

  readonly #owner: ForwardedTrackOwner;
  readonly #rewriter: RtpRewriter;
  readonly #sr = Buffer.alloc(SR_LENGTH);
  /** Scratch buffer of retransmissions, allocated at the first one. */
  #rtx: Buffer | null = null;
  /** The publisher's RED payload type when this subscriber did not take RED (it gets the Opus inside), else -1. */
  #unwrapRedPt = -1;
  /** The publisher's RED payload type, -1 when it sends none. */
  #redPt = -1;
  /** The publisher's Opus payload type: what an unwrapped RED packet carries. */
  #sourceOpusPt = -1;
  /** Unwraps RED for this subscriber, created at the first RED packet. */
  #red: RedUnwrapper | null = null;
  /** Bandwidth probes of a simulcast subscription; null without simulcast. */
  readonly #probes: ProbeSender | null = null;
  readonly #budget: NackBudget;
  #native: NativeTrack | null = null;
  /** Offer/answer done for this m-section and the track is open: packets may be sent. */
  #open = false;
  #negotiated = false;
  #closed = false;
  #packetsOut = 0;
  #bytesOut = 0;
  #dropped = 0;
  #plis = 0;
  #firs = 0;
  #nacks = 0;
  #nacked = 0;
  #retransmitted = 0;
  #misses = 0;
  #refused = 0;
  #repeats = 0;
  #srs = 0;
  /** Simulcast state; null for a source without layers (the plain fast path). */
  readonly #simulcast: LayerState | null = null;

  /** @internal Created by the subscriber transport. */
  constructor(owner: ForwardedTrackOwner, id: string, source: PublishedTrack, mid: string, ssrc: number, enableH264: boolean) {
    super(owner.errorSink);
    this.#owner = owner;
    this.#budget = owner.nackBudget;
    this.id = id;
    this.source = source;
    this.kind = source.kind;
    this.mid = mid;
    this.ssrc = ssrc;
    this.streamId = source.streamId;
    this.trackId = source.id;
    this.offeredCodecs = subscriberCodecs(source.kind, enableH264);
    this.#rewriter = new RtpRewriter(ssrc, source.clockRate);
    // Registered at once (not at bind) so that a source ending before the first offer still
    // ends this subscription; forward() sends nothing until negotiated and open.
    const layers = source.layers;
    if (layers.length > 1) {
      this.#simulcast = new LayerState(this, layers);
      this.#probes = new ProbeSender(this.#rewriter, this);
      this.reselect();
    } else {
      source.addOutput(this);
    }
  }

  /** Number of simulcast layers of the source (1 without simulcast). */
  get layerCount(): number {
    return this.source.layers.length;
  }

  /** Simulcast layer forwarded now, -1 before the first one (always 0 without simulcast). */
  get layer(): number {
    return this.#simulcast?.current ?? 0;
  }

  /**
   * Highest layer this subscriber wants (e.g. 0 for a small tile); the bandwidth estimate may
   * still choose a lower one. Clamped to the source's layers. No-op without simulcast.
   */
  setPreferredLayer(layer: number): void {
    const sc = this.#simulcast;
    if (sc === null || this.#closed) return;
    sc.preferred = Math.max(0, Math.min(this.layerCount - 1, Math.floor(layer)));
    this.reselect();
  }

  /** @internal {@link LayerTapOwner}: chooses the layer from the estimate and the layers' state. */
  reselect(): void {
    const sc = this.#simulcast;
    if (sc === null || this.#closed) return;
    const ask = sc.choose(this.#owner.videoBitrateShare, this.#owner.probes?.enabled ?? false);
    // The switch happens at the target's next keyframe: ask for it now.
    if (ask !== null && this.#open) ask.requestKeyframe();
  }

  /**
   * @internal {@link LayerTapOwner}, hot path with simulcast: forwards the current layer; on the
   * target layer's keyframe, switches (sequence numbers, timestamps, PictureID continue).
   */
  forwardLayer(index: number, layer: PublishedTrack, packet: Buffer, inPt: number, inSeq: number, inTs: number): void {
    const sc = this.#simulcast!;
    if (!this.#open) return;
    const verdict = sc.accept(index, layer);
    if (verdict === -2) return; // another layer: not ours
    if (verdict >= 0) {
      this.#rewriter.switchSource(verdict);
      this.emit('layerChanged', index);
    }
    sc.rewriteVp8(packet, layer);
    this.forward(packet, inPt, inSeq, inTs);
    sc.sent();
    // A frame ended (marker bit): padding may follow it, never split a frame.
    if ((packet[1]! & 0x80) !== 0) this.#probes!.frameEnded(sc, this.#owner.probes, performance.now());
  }

  /** The connection measured a probe cluster: the bit rate its path delivered (0: unknown). */
  probed(bitrate: number, now: number): void {
    const sc = this.#simulcast;
    if (sc === null || this.#closed) return;
    sc.probed(bitrate, now);
    this.reselect();
  }

  /** @internal {@link PaddingSink}: sends one padding packet of a probe. */
  sendPadding(packet: Buffer): boolean {
    try {
      this.#native!.sendMessageBinary(packet);
      this.#packetsOut++;
      return true;
    } catch {
      return false; // the track closed under us
    }
  }

  /** @internal {@link LayerTapOwner}: sender reports of the layer forwarded only. */
  forwardLayerSenderReport(index: number, rtcp: Buffer, off: number): void {
    if (this.#simulcast?.current === index) this.forwardSenderReport(rtcp, off);
  }

  /** @internal {@link LayerTapOwner}: a lower encoding ended; choose among the others. */
  layerClosed(index: number): void {
    const sc = this.#simulcast;
    if (sc === null || this.source.closed) return; // the whole source is ending: so is this subscription
    if (sc.target === index) sc.target = -1;
    this.reselect();
  }

  /** The layer whose keyframes and cache serve this subscriber now. */
  #servingLayer(): PublishedTrack {
    return this.#simulcast?.serving() ?? this.source;
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True while packets flow to the subscriber (negotiated and the transport is up). */
  get forwarding(): boolean {
    return this.#open;
  }

  /** @internal Share of the subscriber connection's REMB for this track, bit/s, 0 if unknown. */
  get bitrateShare(): number {
    return this.#owner.videoBitrateShare;
  }

  /** Counters since the subscription started. */
  getStats(): ForwardedTrackStats {
    return {
      packetsOut: this.#packetsOut,
      bytesOut: this.#bytesOut,
      packetsDropped: this.#dropped,
      plisReceived: this.#plis,
      firsReceived: this.#firs,
      nacksReceived: this.#nacks,
      nackedPackets: this.#nacked,
      retransmitted: this.#retransmitted,
      retransmitMisses: this.#misses,
      retransmitsRefused: this.#refused,
      nackRepeatsIgnored: this.#repeats,
      senderReports: this.#srs,
      paddingPackets: this.#rewriter.paddingPackets,
      paddingBytes: this.#rewriter.paddingPackets * PADDING_PACKET_SIZE, // every padding packet has that size
      probeClusters: this.#probes?.clusters ?? 0,
      remb: this.#owner.remb,
      ...(this.#simulcast ? { layer: this.#simulcast.current, targetLayer: this.#simulcast.target, layerSwitches: this.#simulcast.switches } : {}),
    };
  }

  /** Ends the subscription; the subscriber's m-section becomes inactive at the next offer. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#open = false;
    this.source.removeOutput(this);
    this.#simulcast?.detach();
    this.#native = null;
    this.#owner.forwardedTrackClosed(this);
    this.emit('closed');
    this.removeAllListeners();
  }

  /** @internal The source ended. */
  sourceClosed(): void {
    this.close();
  }

  /** @internal Binds the node-datachannel track created for this m-section (before the offer). */
  bind(native: NativeTrack): void {
    if (this.#closed) return;
    this.#native = native;
    native.onMessage(this.#onMessage);
    native.onOpen(this.#onOpen);
    native.onClosed(this.#onNativeClosed);
  }

  /**
   * @internal The subscriber's answer covering this m-section was applied. `acceptedPayloadTypes`
   * are the payload types its answer kept for this mid.
   */
  negotiated(acceptedPayloadTypes: readonly number[]): void {
    if (this.#closed) return;
    this.#unwrapRedPt = -1;
    this.#redPt = -1;
    for (const { payloadType, codec } of this.source.codecs) {
      if (codec.name === 'red') this.#redPt = payloadType;
      const out = this.offeredCodecs.find((c) => c.name === codec.name);
      if (out && acceptedPayloadTypes.includes(out.subscriberPayloadType)) {
        this.#rewriter.mapPayloadType(payloadType, out.subscriberPayloadType);
      } else {
        this.#rewriter.unmapPayloadType(payloadType);
        if (codec.name === 'red') this.#unwrapRedPt = payloadType; // it gets the Opus inside
      }
      if (codec.name === 'opus') this.#sourceOpusPt = payloadType;
    }
    this.#negotiated = true;
    // Whether the connection measures probe clusters is known now: it decides the first layer.
    if (this.#simulcast !== null && this.#simulcast.current < 0) this.reselect();
    // A mid re-added by renegotiation never fires onOpen again: ask the track itself.
    if (this.#native?.isOpen()) this.#onOpen();
  }

  /** @internal Hot path: rewrite in place and send. See {@link TrackOutput.forward}. */
  forward(packet: Buffer, inPt: number, inSeq: number, inTs: number): void {
    if (inPt === this.#redPt && this.#open && (inPt === this.#unwrapRedPt || (this.#owner.remb > 0 && this.#owner.remb < RED_MIN_ESTIMATE))) {
      const opus = (this.#red ??= new RedUnwrapper()).unwrap(packet);
      if (opus === null) {
        this.#dropped++;
        return;
      }
      packet = opus;
      inPt = this.#sourceOpusPt;
    }
    if (!this.#open || !this.#rewriter.rewrite(packet, inPt, inSeq, inTs)) {
      this.#dropped++;
      return;
    }
    try {
      this.#native!.sendMessageBinary(packet);
      this.#packetsOut++;
      this.#bytesOut += packet.length;
      this.#budget.earn();
    } catch {
      this.#dropped++; // the track closed under us; onClosed will follow
    }
  }

  /** @internal Sends the source's sender report translated to this subscriber's SSRC and timeline. */
  forwardSenderReport(rtcp: Buffer, off: number): void {
    if (!this.#open || !this.#rewriter.synced) return;
    const rtpTs = this.#rewriter.outputTimestampOf(readU32(rtcp, off + 16));
    // Octet count is payload octets (RFC 3550 §6.4.1); 12 header bytes per packet is close enough.
    translateSenderReport(rtcp, off, this.#sr, this.ssrc, rtpTs, this.#packetsOut, Math.max(0, this.#bytesOut - 12 * this.#packetsOut));
    try {
      this.#native!.sendMessageBinary(this.#sr);
      this.#srs++;
    } catch {
      // not open
    }
  }

  /**
   * @internal {@link NackSink}: retransmits one NACKed packet from the source's cache, within
   * the connection's budget (see {@link NackBudget}).
   */
  onNackedSequence(outSeq: number): void {
    this.#nacked++;
    const cache = this.#servingLayer().cache;
    const inSeq = this.#rewriter.inputSequenceOf(outSeq);
    if (inSeq < 0 || cache === null || !cache.has(inSeq)) {
      this.#misses++;
      return;
    }
    const verdict = this.#budget.take(this.ssrc, outSeq);
    if (verdict === NackVerdict.REPEAT) {
      this.#repeats++;
      return;
    }
    if (verdict === NackVerdict.OVER_BUDGET) {
      this.#refused++;
      return;
    }
    const rtx = (this.#rtx ??= Buffer.allocUnsafe(1500));
    const len = cache.copyTo(inSeq, rtx);
    if (len === 0) {
      this.#misses++;
      return;
    }
    const copy = rtx.subarray(0, len); // rare path: one view object per retransmission
    this.#simulcast?.rewriteRetransmission(copy);
    if (!this.#rewriter.rewrite(copy, copy[1]! & 0x7f, inSeq, readU32(copy, 4))) return;
    try {
      this.#native!.sendMessageBinary(copy);
      this.#retransmitted++;
    } catch {
      // not open
    }
  }

  /** RTCP from the subscriber (RR, PLI, FIR, NACK, REMB), possibly about other tracks too. */
  readonly #onMessage = (packet: Buffer): void => {
    if (!this.#open) return;
    const len = packet.length;
    if (len < 8) return;
    const b1 = packet[1]!;
    if (b1 < 192 || b1 > 223) return; // not RTCP (a subscriber sends no media)
    const ssrc = this.ssrc;
    let lost: number;
    for (let off = 0; off < len;) {
      const end = nextRtcpPacket(packet, off, len);
      if (end < 0) return;
      if (isPliFor(packet, off, end, ssrc)) {
        this.#plis++;
        this.#servingLayer().requestKeyframe();
      } else if (isFirFor(packet, off, end, ssrc)) {
        this.#firs++;
        this.#servingLayer().requestKeyframe();
      } else if (forEachNacked(packet, off, end, ssrc, this) >= 0) {
        this.#nacks++;
      } else if (this.#owner.probes !== undefined && forEachTransportCcStatus(packet, off, end, this.#owner.probes) >= 0) {
        // the connection's probe clusters took it
      } else if (this.kind === 'audio' && (lost = reportedFractionLost(packet, off, end, ssrc)) >= 0) {
        this.source.downstreamLoss.note(lost, performance.now());
      } else {
        const bitrate = readRembBitrate(packet, off, end);
        // The REMB covers the whole connection and reaches every track it names: the first one handles it.
        if (bitrate >= 0 && rembSsrcCount(packet, off) > 0 && rembSsrc(packet, off, 0) === ssrc) {
          this.#owner.onRemb(bitrate);
        }
      }
      off = end;
    }
  };

  readonly #onOpen = (): void => {
    if (this.#closed || this.#open || !this.#negotiated) return;
    this.#open = true;
    // A new subscriber can decode nothing before a keyframe, and Chromium's encoder sends none
    // on its own: ask for one now (throttled per source).
    const sc = this.#simulcast;
    if (sc !== null && sc.target < 0) this.reselect();
    this.#servingLayer().requestKeyframe();
  };

  readonly #onNativeClosed = (): void => {
    this.#open = false;
  };
}
