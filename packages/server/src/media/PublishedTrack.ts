import { Emitter, type ListenerErrorSink } from '../util/Emitter.js';
import { hideExtensionElement, TRANSPORT_CC_EXT_ID } from './bwe/transportCc.js';
import type { ForwardedCodec, MediaKind } from './codecs.js';
import type { MediaConfig } from './MediaConfig.js';
import type { NativeTrack } from './native.js';
import { PacketCache } from './rtp/PacketCache.js';
import { DownstreamLoss } from './rtcp/DownstreamLoss.js';
import { ReceiveStatistics } from './rtp/ReceiveStatistics.js';
import { isKeyframeStart, KeyframeCodec } from './rtp/keyframe.js';
import { AudioLevelMeter } from './rtp/AudioLevelMeter.js';
import { readU32 } from './rtp/RtpPacket.js';
import { readPictureId, readVp8Fields, type Vp8Fields } from './rtp/vp8Descriptor.js';
import { KeyframeThrottle } from './rtcp/KeyframeThrottle.js';
import { PLI_LENGTH, writePli } from './rtcp/feedback.js';
import { nextRtcpPacket } from './rtcp/RtcpPacket.js';
import { isSenderReport, rtcpSenderSsrc, senderReportNtpMiddle } from './rtcp/reports.js';

/** Events of a {@link PublishedTrack}. */
export interface PublishedTrackEvents {
  /** The track ended (unpublished, publisher left, room closed). Emitted once. */
  closed: [];
}

/** Counters of a published track (cumulative since it was published). */
export interface PublishedTrackStats {
  packetsIn: number;
  bytesIn: number;
  /** Lost as seen from the sequence numbers (expected − received). */
  packetsLost: number;
  /** RTCP packets received from the publisher (sender reports etc.). */
  rtcpIn: number;
  /** Keyframes received (VP8/H.264 payload headers). */
  keyframesIn: number;
  /** Keyframe requests asked by subscribers or the SFU. */
  keyframeRequests: number;
  /** PLIs actually sent to the publisher after throttling. */
  plisSent: number;
  /** Current number of subscribers. */
  subscribers: number;
  /** Bitrate currently asked for by REMB (video), bit/s; 0 for audio. */
  targetBitrate: number;
  /** Simulcast: bitrate each layer arrived with over the last RTCP interval, low to high, bit/s. */
  layerBitrates?: number[];
}

/** What a published track tells its owner (the publisher transport). @internal */
export interface PublishedTrackOwner {
  publishedTrackClosed(track: PublishedTrack): void;
  /** Where listener exceptions go; a process warning when absent. */
  readonly errorSink?: ListenerErrorSink;
}

/** What a published track needs from its outputs ({@link ForwardedTrack}). @internal */
export interface TrackOutput {
  /** Rewrites `packet` in place for this subscriber and sends it. Hot path. */
  forward(packet: Buffer, inPt: number, inSeq: number, inTs: number): void;
  /** Sends a translated copy of the sender report at `off` of `rtcp`. */
  forwardSenderReport(rtcp: Buffer, off: number): void;
  /** This subscriber's share of its REMB estimate, bit/s, or 0 when it sent none. */
  readonly bitrateShare: number;
  /** Called once when the source ends. */
  sourceClosed(): void;
  /** Simulcast: the layers' bitrates were just measured (top layer's outputs only). */
  layersMeasured?(): void;
}

/** Constructor data of a {@link PublishedTrack}. @internal */
export interface PublishedTrackInit {
  id: string;
  peerId: string;
  mid: string;
  kind: MediaKind;
  streamId: string;
  trackId: string;
  ssrc: number;
  /** Publisher payload type → forwarded codec. */
  codecs: readonly { payloadType: number; codec: ForwardedCodec }[];
  /** SSRC the SFU uses as RTCP sender towards this publisher. */
  rtcpSenderSsrc: number;
  /** Id of the negotiated RFC 6464 audio level extension, 0 when none (video, or not offered). */
  audioLevelExtId?: number;
}

/**
 * One media track a participant publishes: the receiving end of one m-section of its publishing
 * PeerConnection. Fans every RTP packet out to its {@link TrackOutput}s, keeps the NACK cache and
 * the reception statistics, sends throttled PLIs, and passes sender reports on.
 */
export class PublishedTrack extends Emitter<PublishedTrackEvents> {
  /** Server-wide unique id of this track (what subscribers name). */
  readonly id: string;
  /** Id of the publishing peer. */
  readonly peerId: string;
  /** mid of its m-section on the publisher's connection. */
  readonly mid: string;
  readonly kind: MediaKind;
  /** msid stream id: tracks with the same stream id form one apiRTC stream (camera + mic). */
  readonly streamId: string;
  /** msid track id as the publisher named it. */
  readonly trackId: string;
  /** SSRC the publisher sends with. */
  readonly ssrc: number;
  /** Publisher payload type → forwarded codec. */
  readonly codecs: readonly { payloadType: number; codec: ForwardedCodec }[];
  /** RTP clock rate, Hz. */
  readonly clockRate: number;

  /** Reception statistics for receiver reports. @internal */
  readonly receiveStats = new ReceiveStatistics();
  /** The loss its subscribers report, for the publisher's receiver reports (audio). @internal */
  readonly downstreamLoss = new DownstreamLoss();

  /**
   * @internal Facts about the packet being fanned out, read once before the outputs rewrite the
   * buffer in place: whether it starts a keyframe, and (simulcast layers only) where its VP8
   * PictureID / TL0PICIDX are and their input values (-1 when absent).
   */
  packetIsKeyframe = false;
  /** @internal */
  readonly vp8Fields: Vp8Fields = { pictureIdOffset: -1, longPictureId: false, tl0PicIdxOffset: -1 };
  /** @internal */
  pictureId = -1;
  /** @internal */
  tl0PicIdx = -1;

  readonly #owner: PublishedTrackOwner;
  readonly #config: MediaConfig;
  /** NACK cache (video only), created with the first packet: an idle track costs no slab. */
  #cache: PacketCache | null = null;
  readonly #throttle: KeyframeThrottle;
  readonly #pli = Buffer.alloc(PLI_LENGTH);
  #outputs: TrackOutput[] = [];
  #native: NativeTrack | null = null;
  #closed = false;
  #packetsIn = 0;
  #bytesIn = 0;
  #rtcpIn = 0;
  #keyframesIn = 0;
  #targetBitrate = 0;
  /** Simulcast encodings of this track, low to high, this one last; null without simulcast. */
  #layers: PublishedTrack[] | null = null;
  /** Set on a lower layer: parse VP8 fields for the layer switch rewrite. */
  #layered = false;
  #bitrate = 0;
  #measuredAt = 0;
  #bytesAtMeasure = 0;
  #packetsAtMeasure = 0;
  /** Until measured, a layer counts as arriving: the first choice must not wait a whole interval. */
  #active = true;
  /** RFC 6464 levels of the current window; null when not read (video, extension not negotiated). */
  readonly #levels: AudioLevelMeter | null;
  /** Publisher payload type → KeyframeCodec, to spot keyframes without a lookup by name. */
  readonly #keyframeCodec = new Uint8Array(128);

  /** @internal Created by the publisher transport from the (re-)offer. */
  constructor(owner: PublishedTrackOwner, init: PublishedTrackInit, config: MediaConfig) {
    super(owner.errorSink);
    this.#owner = owner;
    this.#config = config;
    this.id = init.id;
    this.peerId = init.peerId;
    this.mid = init.mid;
    this.kind = init.kind;
    this.streamId = init.streamId;
    this.trackId = init.trackId;
    this.ssrc = init.ssrc;
    this.codecs = init.codecs;
    this.clockRate = init.codecs[0]?.codec.clockRate ?? (init.kind === 'audio' ? 48000 : 90000);
    writePli(this.#pli, 0, init.rtcpSenderSsrc, init.ssrc);
    this.#throttle = new KeyframeThrottle(config.pliIntervalMs, this.#sendPli);
    this.#targetBitrate = init.kind === 'video' ? config.maxVideoBitrate : 0;
    const levelExtId = init.kind === 'audio' ? (init.audioLevelExtId ?? 0) : 0;
    this.#levels = levelExtId > 0 ? new AudioLevelMeter(levelExtId) : null;
    for (const { payloadType, codec } of init.codecs) {
      this.#keyframeCodec[payloadType & 0x7f] = codec.name === 'VP8' ? KeyframeCodec.VP8 : codec.name === 'H264' ? KeyframeCodec.H264 : KeyframeCodec.NONE;
    }
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.#closed;
  }

  /** @internal Packets kept to answer NACKs: null for audio and before the first video packet. */
  get cache(): PacketCache | null {
    return this.#cache;
  }

  /**
   * Simulcast encodings, low to high, the last being this track (the one announced to
   * subscribers); `[this]` without simulcast.
   */
  get layers(): readonly PublishedTrack[] {
    return this.#layers ?? [this];
  }

  /** Bitrate measured over the last RTCP interval, bit/s. */
  get bitrate(): number {
    return this.#bitrate;
  }

  /** True when packets arrived during the last RTCP interval (a paused encoding is not). */
  get active(): boolean {
    return this.#active && !this.#closed;
  }

  /**
   * @internal Makes this track the top layer of a simulcast group: `lower` are the other
   * encodings of the same source, low to high. They are never announced; they close with it.
   */
  setLayers(lower: readonly PublishedTrack[]): void {
    if (this.kind !== 'video' || lower.length === 0) return;
    this.#layers = [...lower, this];
    for (const t of this.#layers) t.#layered = true;
  }

  /** @internal Once per RTCP interval: measures the bitrate and activity since the last call. */
  measure(now: number): void {
    const elapsed = now - this.#measuredAt;
    if (this.#measuredAt > 0 && elapsed > 0) {
      this.#bitrate = Math.round(((this.#bytesIn - this.#bytesAtMeasure) * 8000) / elapsed);
      this.#active = this.#packetsIn > this.#packetsAtMeasure;
    }
    this.#measuredAt = now;
    this.#bytesAtMeasure = this.#bytesIn;
    this.#packetsAtMeasure = this.#packetsIn;
  }

  /** @internal After every layer was measured: the subscriptions choose their layer again. */
  layersMeasured(): void {
    if (this.#layers === null) return;
    const outputs = this.#outputs;
    for (let i = 0; i < outputs.length; i++) outputs[i]!.layersMeasured?.();
  }

  /** True when the publisher sends RFC 6464 audio levels on this track (dominant speaker input). */
  get hasAudioLevels(): boolean {
    return this.#levels !== null;
  }

  /** Mean level (-dBov) since the last call, then a new window; 127 without levels (see AudioLevelMeter). */
  takeAudioLevel(): number {
    return this.#levels?.take() ?? 127;
  }

  /** Number of subscribers currently forwarded this track. */
  get subscriberCount(): number {
    return this.#outputs.length;
  }

  /**
   * Asks the publisher for a keyframe (PLI, RFC 4585 §6.3.1). Merged with a request still waiting
   * for its keyframe, and spaced by at least `pliIntervalMs` (see {@link KeyframeThrottle}).
   * No-op for audio.
   */
  requestKeyframe(): void {
    if (this.#closed || this.kind !== 'video') return;
    this.#throttle.request();
  }

  /** Counters since publication. */
  getStats(): PublishedTrackStats {
    return {
      packetsIn: this.#packetsIn,
      bytesIn: this.#bytesIn,
      packetsLost: this.receiveStats.cumulativeLost,
      rtcpIn: this.#rtcpIn,
      keyframesIn: this.#keyframesIn,
      keyframeRequests: this.#throttle.requested,
      plisSent: this.#throttle.sent,
      subscribers: this.#outputs.length,
      targetBitrate: this.#targetBitrate,
      ...(this.#layers ? { layerBitrates: this.#layers.map((l) => l.#bitrate) } : {}),
    };
  }

  /** Stops receiving and forwarding; every subscription to it ends. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#throttle.close();
    const layers = this.#layers;
    this.#layers = null;
    if (layers) for (const l of layers) if (l !== this) l.close();
    const outputs = this.#outputs;
    this.#outputs = [];
    for (const o of outputs) o.sourceClosed();
    this.#native = null; // the transport keeps the wrapper alive until the connection closes
    this.#owner.publishedTrackClosed(this);
    this.emit('closed');
    this.removeAllListeners();
  }

  /** @internal Binds the node-datachannel track that receives this m-section. */
  bind(native: NativeTrack): void {
    if (this.#closed) return;
    this.#native = native;
    native.onMessage(this.#onMessage);
  }

  /** @internal Adds a subscriber; asks for a keyframe when it is ready (see ForwardedTrack). */
  addOutput(output: TrackOutput): void {
    if (this.#closed || this.#outputs.includes(output)) return;
    // Copy-on-write: the forwarding loop iterates the array it read, never a mutated one.
    this.#outputs = [...this.#outputs, output];
  }

  /** @internal */
  removeOutput(output: TrackOutput): void {
    const i = this.#outputs.indexOf(output);
    if (i < 0) return;
    const next = this.#outputs.slice();
    next.splice(i, 1);
    this.#outputs = next;
  }

  /**
   * @internal The bitrate to ask the publisher for (REMB): the smallest share any subscriber's
   * estimate allows, within [minVideoBitrate, maxVideoBitrate]; the maximum when no subscriber
   * sent an estimate. Computed once per RTCP interval, not per packet.
   */
  computeTargetBitrate(): number {
    if (this.kind !== 'video') return 0;
    if (this.#layered) {
      // Simulcast: the SFU picks a layer per subscriber, so the publisher is never slowed down
      // for one of them; the top layer asks for the whole allowance, the others for nothing extra.
      this.#targetBitrate = this.#layers ? this.#config.maxVideoBitrate : 0;
      return this.#targetBitrate;
    }
    let target = this.#config.maxVideoBitrate;
    for (const o of this.#outputs) {
      const share = o.bitrateShare;
      if (share > 0 && share < target) target = share;
    }
    this.#targetBitrate = Math.max(this.#config.minVideoBitrate, target);
    return this.#targetBitrate;
  }

  /**
   * Hot path: one call per packet from the publisher. RTP is counted, cached (video) and handed
   * to every output with its header fields read once, since outputs rewrite the buffer in place.
   */
  readonly #onMessage = (packet: Buffer): void => {
    if (this.#closed) return;
    const len = packet.length;
    if (len < 12) return;
    const b1 = packet[1]!;
    if (b1 >= 192 && b1 <= 223) {
      this.#onRtcp(packet); // RFC 5761 §4 demultiplexing
      return;
    }
    const b0 = packet[0]!;
    if (b0 >> 6 !== 2 || len < 12 + (b0 & 0x0f) * 4) return;
    const inSeq = (packet[2]! << 8) | packet[3]!;
    const inTs = readU32(packet, 4);
    this.#packetsIn++;
    this.#bytesIn += len;
    this.receiveStats.update(inSeq);
    const inPt = b1 & 0x7f;
    if (this.kind === 'video') {
      // Subscribers read this id as the SFU's transport-cc: a publisher's element with it must not reach them.
      if ((b0 & 0x10) !== 0) hideExtensionElement(packet, TRANSPORT_CC_EXT_ID);
      (this.#cache ??= new PacketCache(this.#config.nackCacheSize)).store(packet);
      const kf = this.#keyframeCodec[inPt]!;
      this.packetIsKeyframe = kf !== KeyframeCodec.NONE && isKeyframeStart(kf, packet);
      if (this.packetIsKeyframe) {
        this.#keyframesIn++;
        this.#throttle.keyframeReceived();
      }
      if (this.#layered) this.#readVp8(packet, kf);
    } else if (this.#levels !== null) {
      this.#levels.add(packet);
    }
    const outputs = this.#outputs;
    for (let i = 0; i < outputs.length; i++) outputs[i]!.forward(packet, inPt, inSeq, inTs);
  };

  /** Simulcast layers: input PictureID / TL0PICIDX of this packet, read before outputs rewrite them. */
  #readVp8(packet: Buffer, kf: number): void {
    const f = this.vp8Fields;
    if (kf !== KeyframeCodec.VP8 || !readVp8Fields(packet, f)) {
      f.pictureIdOffset = -1;
      f.tl0PicIdxOffset = -1;
    }
    this.pictureId = f.pictureIdOffset < 0 ? -1 : readPictureId(packet, f.pictureIdOffset, f.longPictureId);
    this.tl0PicIdx = f.tl0PicIdxOffset < 0 ? -1 : packet[f.tl0PicIdxOffset]!;
  }

  /** RTCP from the publisher: sender reports feed receiver reports and lip-sync downstream. */
  #onRtcp(packet: Buffer): void {
    this.#rtcpIn++;
    const len = packet.length;
    for (let off = 0; off < len;) {
      const end = nextRtcpPacket(packet, off, len);
      if (end < 0) return;
      // A compound packet reaches every track whose SSRC it names: act on our own SR only.
      if (isSenderReport(packet, off, end) && rtcpSenderSsrc(packet, off) === this.ssrc) {
        this.receiveStats.onSenderReport(senderReportNtpMiddle(packet, off));
        const outputs = this.#outputs;
        for (let i = 0; i < outputs.length; i++) outputs[i]!.forwardSenderReport(packet, off);
      }
      off = end;
    }
  }

  readonly #sendPli = (): void => {
    const native = this.#native;
    if (native === null) return;
    try {
      native.sendMessageBinary(this.#pli);
    } catch {
      // "Track is not open": the publisher's connection is not up yet or already gone.
    }
  };
}
