import type { ListenerErrorSink } from '../util/Emitter.js';
import type { ProbeClusters } from './bwe/ProbeClusters.js';
import type { ForwardedTrack } from './ForwardedTrack.js';
import type { NackBudget } from './rtcp/NackBudget.js';

/** Events of a {@link ForwardedTrack}. */
export interface ForwardedTrackEvents {
  /** The subscription ended (unsubscribed, source gone, subscriber left). Emitted once. */
  closed: [];
  /** Simulcast: the layer forwarded changed (0 = low … layerCount − 1 = high), at a keyframe. */
  layerChanged: [layer: number];
}

/** Counters of one subscription (cumulative). */
export interface ForwardedTrackStats {
  packetsOut: number;
  bytesOut: number;
  /** Packets not sent: not negotiated or not open yet, payload type refused, send error. */
  packetsDropped: number;
  /** PLIs and FIRs received from the subscriber. */
  plisReceived: number;
  firsReceived: number;
  /** NACK messages received and sequence numbers they named. */
  nacksReceived: number;
  nackedPackets: number;
  /** Packets retransmitted from the cache; NACKed packets the cache no longer had. */
  retransmitted: number;
  retransmitMisses: number;
  /** NACKed packets not retransmitted: the connection's retransmission budget was spent. */
  retransmitsRefused: number;
  /** NACKed packets ignored as repeats of one retransmitted within `nackRepeatWindowMs`. */
  nackRepeatsIgnored: number;
  /** Sender reports translated and sent. */
  senderReports: number;
  /** Padding-only packets sent to probe the subscriber's bandwidth (simulcast), and their bytes. */
  paddingPackets: number;
  paddingBytes: number;
  /** Probe clusters sent (part of the padding): back-to-back padding measured by transport-wide feedback. */
  probeClusters: number;
  /** Last REMB estimate of the subscriber's whole connection, bit/s (0 if none). */
  remb: number;
  /** Simulcast: layer forwarded now (-1 before the first keyframe), layer wanted, switches done. */
  layer?: number;
  targetLayer?: number;
  layerSwitches?: number;
}

/** What a forwarded track tells its owner (the subscriber transport). @internal */
export interface ForwardedTrackOwner {
  forwardedTrackClosed(track: ForwardedTrack): void;
  /** A REMB from the subscriber (per connection, not per track). */
  onRemb(bitrate: number): void;
  /** This connection's REMB divided among its video tracks, bit/s, 0 if none. */
  readonly videoBitrateShare: number;
  /** This connection's last REMB, bit/s, 0 if none. */
  readonly remb: number;
  /** The connection's retransmission budget, shared by its tracks. */
  readonly nackBudget: NackBudget;
  /** The connection's packet-train probes; absent in tests without transport-cc. */
  readonly probes?: ProbeClusters;
  /** Where listener exceptions go; a process warning when absent. */
  readonly errorSink?: ListenerErrorSink;
}
