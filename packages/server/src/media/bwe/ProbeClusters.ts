import { random32 } from '../rtp/sequence.js';
import type { TransportCcSink } from './transportCc.js';

/** Most packets in one cluster. */
export const MAX_CLUSTER_PACKETS = 64;
/** A cluster whose feedback has not all come back after this long is given up, ms. */
const CLUSTER_TIMEOUT_MS = 1000;
/** Arrival spreads below this are taken as this, µs (feedback resolution is 250 µs). */
const MIN_SPREAD_US = 1000;
/** A cluster that lost more than this share measured loss, not capacity. */
const MAX_LOSS = 0.25;

/**
 * Packet-train bandwidth probes of one subscriber connection, measured with transport-wide
 * feedback: a cluster of padding packets leaves back to back, each numbered with a transport
 * sequence number; the subscriber reports when each arrived. The bottleneck spaces them out, so
 * the bytes after the first divided by the arrival spread is what the path delivers (the
 * dispersion method libwebrtc's probe estimator uses). Sent back to back, a cluster measures the
 * bottleneck whatever the current estimate: a link that has just become faster shows it at once,
 * where the receiver's REMB climbs about 8 % a second.
 *
 * One cluster is in flight at a time per connection; tracks share the counter (one transport).
 */
export class ProbeClusters implements TransportCcSink {
  /** Whether the subscriber accepted transport-cc: clusters can be measured. */
  enabled = false;
  /** Called with each cluster's measured bit rate (0: too lossy to say). */
  onResult: ((bitrate: number, now: number) => void) | null = null;
  #nextSeq = random32() & 0xffff;
  /** First sequence number of the cluster in flight, -1 when none. */
  #first = -1;
  #sent = 0;
  #packetSize = 0;
  #startedAt = 0;
  readonly #seen = new Uint8Array(MAX_CLUSTER_PACKETS);
  #statuses = 0;
  #received = 0;
  #minArrival = 0;
  #maxArrival = 0;
  #clusters = 0;
  #results = 0;

  /** Clusters sent and clusters measured since the start. */
  get counts(): { sent: number; measured: number } {
    return { sent: this.#clusters, measured: this.#results };
  }

  /**
   * Starts a cluster of `packets` packets of `packetSize` bytes; returns its first transport
   * sequence number (the others follow), or -1 when disabled or another cluster is in flight.
   */
  begin(packets: number, packetSize: number, now: number): number {
    if (!this.enabled || packets < 2 || packets > MAX_CLUSTER_PACKETS) return -1;
    if (this.#first >= 0 && now - this.#startedAt < CLUSTER_TIMEOUT_MS) return -1;
    const first = this.#nextSeq;
    this.#nextSeq = (first + packets) & 0xffff;
    this.#first = first;
    this.#sent = packets;
    this.#packetSize = packetSize;
    this.#startedAt = now;
    this.#seen.fill(0);
    this.#statuses = 0;
    this.#received = 0;
    this.#clusters++;
    return first;
  }

  /** Gives the cluster in flight up after fewer packets went out than announced (track closed). */
  truncate(sent: number): void {
    if (this.#first < 0) return;
    if (sent < 2) this.#first = -1;
    else this.#sent = Math.min(this.#sent, sent);
  }

  /** {@link TransportCcSink}: one packet's status from the subscriber's feedback. */
  onPacketStatus(seq: number, received: boolean, arrivalUs: number): void {
    if (this.#first < 0) return;
    const index = (seq - this.#first) & 0xffff;
    if (index >= this.#sent || this.#seen[index] !== 0) return;
    this.#seen[index] = 1;
    this.#statuses++;
    if (received) {
      if (this.#received === 0 || arrivalUs < this.#minArrival) this.#minArrival = arrivalUs;
      if (this.#received === 0 || arrivalUs > this.#maxArrival) this.#maxArrival = arrivalUs;
      this.#received++;
    }
    if (this.#statuses === this.#sent) this.#finish();
  }

  #finish(): void {
    const received = this.#received;
    let bitrate = 0;
    if (received >= 2 && received >= this.#sent * (1 - MAX_LOSS)) {
      const spread = Math.max(MIN_SPREAD_US, this.#maxArrival - this.#minArrival);
      bitrate = Math.round(((received - 1) * this.#packetSize * 8 * 1e6) / spread);
    }
    this.#first = -1;
    this.#results++;
    this.onResult?.(bitrate, performance.now());
  }
}
