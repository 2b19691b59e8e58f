import { isIP } from 'node:net';
import { badParameter } from './errors.js';

/** Options of {@link Sfu}. Every field is optional; the defaults suit a single host. */
export interface SfuOptions {
  /**
   * Local address the ICE agent binds to. Default: none, i.e. host candidates are gathered on
   * every interface (Chromium gathers no loopback candidates, so loopback alone would not work).
   */
  bindAddress?: string;
  /**
   * Public address written into every host candidate instead of the gathered one (for a server
   * behind 1:1 NAT, e.g. a cloud VM). Default: none, candidates are announced as gathered.
   */
  announcedAddress?: string;
  /** UDP port range for ICE, inclusive. Default: the OS picks ephemeral ports. */
  portRange?: { min: number; max: number };
  /**
   * ICE UDP mux: every PeerConnection shares this one UDP port (libjuice demultiplexes by ICE
   * username, then by remote address), so a firewall needs a single rule. Excludes `portRange`.
   * Default: none, one port per connection.
   */
  udpMuxPort?: number;
  /** STUN/TURN servers, node-datachannel URL syntax (`stun:host:port`). Default: none. */
  iceServers?: string[];
  /** Forward H.264 (constrained baseline, packetization-mode 1) besides VP8. Default: false. */
  enableH264?: boolean;
  /** Upper bound of the REMB sent to a publisher for one video track, bit/s. Default 2,500,000. */
  maxVideoBitrate?: number;
  /** Lower bound of the REMB sent to a publisher for one video track, bit/s. Default 150,000. */
  minVideoBitrate?: number;
  /**
   * Minimum interval between two PLIs sent to one published track, ms (≥ 300: Chromium's encoder
   * ignores requests closer than that). Default 350.
   */
  pliIntervalMs?: number;
  /** Packets kept per published video track to answer NACKs (power of two). Default 1024. */
  nackCacheSize?: number;
  /** Interval of receiver reports + REMB towards publishers, ms. Default 1000. */
  rtcpIntervalMs?: number;
  /**
   * File descriptors PeerConnections may never take: kept for WebSocket/HTTP sockets, SQLite and
   * the log. A PeerConnection is refused ("not enough bandwidth") when the open descriptors plus
   * its socket would come closer than this to the soft RLIMIT_NOFILE. Default 512.
   */
  fdReserve?: number;
  /** Most m-sections in one publisher offer (code 9 beyond). Default 16. */
  maxSectionsPerOffer?: number;
  /** Most simultaneous subscriptions (forwarded tracks) of one participant (code 9 beyond). Default 128. */
  maxSubscriptionsPerPeer?: number;
  /**
   * Longest time a PeerConnection may stay unconnected (after its first description) or
   * disconnected before the SFU closes it as failed, ms. Default 30,000.
   */
  transportTimeoutMs?: number;
  /**
   * Retransmission budget of one subscriber connection, as a share of the packets forwarded to
   * it: each forwarded packet earns this many retransmissions (0.2: up to 20 % extra). Default 0.2.
   */
  nackRetransmitRatio?: number;
  /** Retransmissions one subscriber connection may spend at once (bucket size, packets). Default 64. */
  nackBurst?: number;
  /** A NACK for a sequence number retransmitted less than this ago is ignored, ms. Default 100. */
  nackRepeatWindowMs?: number;
}

/** {@link SfuOptions} with defaults applied and validated. */
export interface MediaConfig {
  readonly bindAddress: string | undefined;
  readonly announcedAddress: string | undefined;
  readonly portRange: { readonly min: number; readonly max: number } | undefined;
  readonly udpMuxPort: number | undefined;
  readonly iceServers: readonly string[];
  readonly enableH264: boolean;
  readonly maxVideoBitrate: number;
  readonly minVideoBitrate: number;
  readonly pliIntervalMs: number;
  readonly nackCacheSize: number;
  readonly rtcpIntervalMs: number;
  readonly fdReserve: number;
  readonly maxSectionsPerOffer: number;
  readonly maxSubscriptionsPerPeer: number;
  readonly transportTimeoutMs: number;
  readonly nackRetransmitRatio: number;
  readonly nackBurst: number;
  readonly nackRepeatWindowMs: number;
}

/** Applies defaults and validates; throws a ParleyError (code 9) on a bad option. */
export function resolveMediaConfig(options: SfuOptions = {}): MediaConfig {
  const { bindAddress, announcedAddress, portRange } = options;
  if (bindAddress !== undefined && isIP(bindAddress) === 0) {
    throw badParameter(`bindAddress must be an IP address, got "${bindAddress}"`);
  }
  if (announcedAddress !== undefined && isIP(announcedAddress) === 0) {
    throw badParameter(`announcedAddress must be an IP address, got "${announcedAddress}"`);
  }
  if (portRange !== undefined) {
    const { min, max } = portRange;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1024 || max > 65535 || min > max) {
      throw badParameter(`portRange must satisfy 1024 ≤ min ≤ max ≤ 65535, got ${min}–${max}`);
    }
  }
  const { udpMuxPort } = options;
  if (udpMuxPort !== undefined) {
    if (!Number.isInteger(udpMuxPort) || udpMuxPort < 1024 || udpMuxPort > 65535) throw badParameter(`udpMuxPort must be in 1024–65535, got ${udpMuxPort}`);
    if (portRange !== undefined) throw badParameter('udpMuxPort and portRange exclude each other');
  }
  const maxVideoBitrate = options.maxVideoBitrate ?? 2_500_000;
  const minVideoBitrate = options.minVideoBitrate ?? 150_000;
  if (!(minVideoBitrate > 0 && maxVideoBitrate >= minVideoBitrate)) {
    throw badParameter('need 0 < minVideoBitrate ≤ maxVideoBitrate');
  }
  const pliIntervalMs = options.pliIntervalMs ?? 350;
  if (!(pliIntervalMs >= 300)) throw badParameter('pliIntervalMs must be ≥ 300');
  const nackCacheSize = options.nackCacheSize ?? 1024;
  if (!Number.isInteger(nackCacheSize) || nackCacheSize < 16 || nackCacheSize > 32768 || (nackCacheSize & (nackCacheSize - 1)) !== 0) {
    throw badParameter('nackCacheSize must be a power of two in 16–32768');
  }
  const rtcpIntervalMs = options.rtcpIntervalMs ?? 1000;
  if (!(rtcpIntervalMs >= 100 && rtcpIntervalMs <= 5000)) throw badParameter('rtcpIntervalMs must be in 100–5000');
  const fdReserve = integerIn('fdReserve', options.fdReserve ?? 512, 0, 1_000_000);
  const maxSectionsPerOffer = integerIn('maxSectionsPerOffer', options.maxSectionsPerOffer ?? 16, 1, 1024);
  const maxSubscriptionsPerPeer = integerIn('maxSubscriptionsPerPeer', options.maxSubscriptionsPerPeer ?? 128, 1, 4096);
  const transportTimeoutMs = integerIn('transportTimeoutMs', options.transportTimeoutMs ?? 30_000, 100, 3_600_000);
  const nackRetransmitRatio = options.nackRetransmitRatio ?? 0.2;
  if (!(nackRetransmitRatio >= 0 && nackRetransmitRatio <= 1)) throw badParameter('nackRetransmitRatio must be in 0–1');
  const nackBurst = integerIn('nackBurst', options.nackBurst ?? 64, 0, 65536);
  const nackRepeatWindowMs = integerIn('nackRepeatWindowMs', options.nackRepeatWindowMs ?? 100, 0, 10_000);
  return {
    bindAddress,
    announcedAddress,
    portRange: portRange ? { min: portRange.min, max: portRange.max } : undefined,
    udpMuxPort,
    iceServers: [...(options.iceServers ?? [])],
    enableH264: options.enableH264 ?? false,
    maxVideoBitrate,
    minVideoBitrate,
    pliIntervalMs,
    nackCacheSize,
    rtcpIntervalMs,
    fdReserve,
    maxSectionsPerOffer,
    maxSubscriptionsPerPeer,
    transportTimeoutMs,
    nackRetransmitRatio,
    nackBurst,
    nackRepeatWindowMs,
  };
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badParameter(`${name} must be an integer in ${min}–${max}`);
  return value;
}
