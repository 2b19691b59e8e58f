import nodeDataChannel, { type Audio, type PeerConnection, type RtcConfig, type Video } from 'node-datachannel';
import type { ForwardedCodec, MediaKind } from './codecs.js';
import { rewriteLocalCandidate, rewriteSdpCandidates } from './ice.js';
import type { MediaConfig } from './MediaConfig.js';

/**
 * Creates a node-datachannel PeerConnection with the SFU's ICE settings: host candidates on
 * every interface (or `bindAddress`), the configured UDP port range (or the one mux port) and ICE servers.
 * ICE, DTLS and SRTP run in libdatachannel's own threads; JavaScript sees only callbacks.
 */
export function createPeerConnection(name: string, config: MediaConfig, autoNegotiation: boolean): PeerConnection {
  const rtc: RtcConfig = { iceServers: [...config.iceServers], disableAutoNegotiation: !autoNegotiation };
  if (config.bindAddress !== undefined) rtc.bindAddress = config.bindAddress;
  if (config.portRange !== undefined) {
    rtc.portRangeBegin = config.portRange.min;
    rtc.portRangeEnd = config.portRange.max;
  }
  if (config.udpMuxPort !== undefined) {
    // libjuice then binds one socket per port for the whole process and routes STUN by ICE
    // username: every connection's host candidate carries this port.
    rtc.enableIceUdpMux = true;
    rtc.portRangeBegin = config.udpMuxPort;
    rtc.portRangeEnd = config.udpMuxPort;
  }
  return new nodeDataChannel.PeerConnection(name, rtc);
}

/** libdatachannel direction names. */
export type NativeDirection = 'SendOnly' | 'RecvOnly' | 'Inactive';

/**
 * Builds a libdatachannel media description for one m-section. `codecs` pairs each forwarded
 * codec with the payload type to use on this connection.
 */
export function createMediaDescription(
  kind: MediaKind,
  mid: string,
  direction: NativeDirection,
  codecs: readonly { payloadType: number; codec: ForwardedCodec }[],
): Video | Audio {
  if (kind === 'audio') {
    const audio = new nodeDataChannel.Audio(mid, direction);
    const opus = codecs.find((c) => c.codec.name === 'opus')?.payloadType;
    // RED first: a publisher answered so sends it (redundancy on its uplink too).
    for (const { payloadType, codec } of codecs) if (codec.name === 'red' && opus !== undefined) audio.addAudioCodec(payloadType, 'red', `${opus}/${opus}`);
    for (const { payloadType, codec } of codecs) if (codec.name === 'opus') audio.addOpusCodec(payloadType);
    return audio;
  }
  const video = new nodeDataChannel.Video(mid, direction);
  for (const { payloadType, codec } of codecs) {
    if (codec.name === 'H264') video.addH264Codec(payloadType);
    else video.addVP8Codec(payloadType);
  }
  return video;
}

/** Callbacks of {@link LocalSignalling}. */
export interface LocalSignallingHandlers {
  description(type: 'offer' | 'answer', sdp: string): void;
  candidate(candidate: string, mid: string): void;
}

/** Longest wait for ICE gathering before a description goes out without all candidates, ms. */
const GATHERING_WAIT_MS = 100;

/**
 * How local candidates reach the browser.
 * - `'in-description'` (answerer): the description goes out once gathering is complete (host
 *   candidates take ~3 ms) or after {@link GATHERING_WAIT_MS}, carrying the candidates, so the
 *   browser starts its checks as soon as it applies it; later candidates trickle.
 * - `'after-remote-description'` (offerer): the offer goes out at once **without** candidates,
 *   and candidates are released only when {@link LocalSignalling.remoteDescriptionApplied} is
 *   called. libdatachannel 0.24 hands the remote ICE credentials to its agent before it stores
 *   the remote description, and verifies the peer's DTLS certificate against that stored
 *   description: if the browser (which, with our candidates, checks as soon as it answered)
 *   completes ICE and its DTLS flight inside that window, the handshake fails with "unknown CA".
 *   Seen on a loaded machine (about 1 fresh subscriber connection in 10 at load average 20);
 *   holding the candidates closes the window.
 */
export type CandidatePolicy = 'in-description' | 'after-remote-description';

/**
 * Relays a connection's local description and candidates to the browser according to a
 * {@link CandidatePolicy}. Candidates already sent are not sent again. Host addresses are
 * replaced by `announcedAddress` when configured.
 */
export class LocalSignalling {
  readonly #pc: PeerConnection;
  readonly #announced: string | undefined;
  readonly #handlers: LocalSignallingHandlers;
  readonly #policy: CandidatePolicy;
  #pendingType: 'offer' | 'answer' | null = null;
  #timer: NodeJS.Timeout | undefined;
  /** Candidate lines already sent (inside a description or trickled). */
  readonly #sent = new Set<string>();
  /** Candidates held back (policy 'after-remote-description', before the answer). */
  #held: { line: string; mid: string }[] = [];
  #released: boolean;
  #closed = false;

  constructor(pc: PeerConnection, announcedAddress: string | undefined, policy: CandidatePolicy, handlers: LocalSignallingHandlers) {
    this.#pc = pc;
    this.#announced = announcedAddress;
    this.#handlers = handlers;
    this.#policy = policy;
    this.#released = policy === 'in-description';
    pc.onLocalDescription((sdp, type) => {
      if (this.#closed || (type !== 'offer' && type !== 'answer')) return;
      if (this.#policy === 'after-remote-description') {
        this.#handlers.description(type, stripCandidates(sdp));
        return;
      }
      this.#pendingType = type;
      if (pc.gatheringState() === 'complete') {
        this.#flush();
      } else if (this.#timer === undefined) {
        this.#timer = setTimeout(this.#flush, GATHERING_WAIT_MS);
        this.#timer.unref();
      }
    });
    pc.onGatheringStateChange((state) => {
      if (state === 'complete') this.#flush();
    });
    pc.onLocalCandidate((candidate, mid) => {
      if (this.#closed) return;
      const line = candidate.startsWith('a=') ? candidate.slice(2) : candidate;
      if (this.#sent.has(line)) return;
      if (!this.#released) {
        this.#held.push({ line, mid });
        return;
      }
      if (this.#pendingType !== null) return; // will be inside the description being prepared
      this.#send(line, mid);
    });
  }

  /**
   * The remote description was applied: with policy 'after-remote-description', releases the
   * candidates held so far (and sends later ones as they come). No-op otherwise.
   */
  remoteDescriptionApplied(): void {
    if (this.#released || this.#closed) return;
    this.#released = true;
    const held = this.#held;
    this.#held = [];
    for (const { line, mid } of held) if (!this.#sent.has(line)) this.#send(line, mid);
  }

  /** Stops relaying (the connection is closing). */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#held = [];
  }

  #send(line: string, mid: string): void {
    this.#sent.add(line);
    this.#handlers.candidate(rewriteLocalCandidate(line, this.#announced), mid);
  }

  readonly #flush = (): void => {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const type = this.#pendingType;
    if (this.#closed || type === null) return;
    this.#pendingType = null;
    let sdp: string;
    try {
      sdp = this.#pc.localDescription()?.sdp ?? '';
    } catch {
      return; // closed under us
    }
    for (const m of sdp.matchAll(/^a=(candidate:[^\r\n]*)/gm)) this.#sent.add(m[1]!);
    this.#handlers.description(type, rewriteSdpCandidates(sdp, this.#announced));
  };
}

/** Removes `a=candidate` and `a=end-of-candidates` lines from a description. */
export function stripCandidates(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates')
    .join('\r\n');
}
