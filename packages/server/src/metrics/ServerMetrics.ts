import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SfuStats } from '../conversation/MediaStats.js';
import type { IceRepairStats } from '../ice/IceRepairPort.js';

/** Where {@link ServerMetrics} reads its numbers at scrape time (nothing is counted per packet). */
export interface MetricSources {
  sessions: () => number;
  connections: () => number;
  conversations: () => number;
  groups: () => number;
  recordings: () => number;
  sfu: () => SfuStats;
  /** The ICE check repair port's counters, when it is open. */
  iceRepair?: () => IceRepairStats;
}

/** How a signalling request ended, for the request metrics. */
export type RequestOutcome = 'ok' | 'error';

/** Prefix of Parley's own metrics (the process and Node.js ones keep their usual names). */
const PREFIX = 'parley_';

type Gauges = Pick<SfuStats, 'rooms' | 'peers' | 'publishedTracks' | 'forwardedTracks' | 'connections'>;
type Totals = Omit<SfuStats, keyof Gauges>;

const SFU_GAUGES: ReadonlyArray<[key: keyof Gauges, name: string, help: string]> = [
  ['rooms', 'sfu_rooms', 'SFU rooms (conversations whose media goes through the server)'],
  ['peers', 'sfu_peers', 'Participants connected to the SFU'],
  ['publishedTracks', 'sfu_published_tracks', 'Tracks published to the SFU'],
  ['forwardedTracks', 'sfu_forwarded_tracks', 'Tracks the SFU forwards to subscribers (one per subscriber and track)'],
  ['connections', 'sfu_peer_connections', 'Media PeerConnections holding a port and descriptor reservation'],
];

const REPAIR_TOTALS: ReadonlyArray<[key: Exclude<keyof IceRepairStats, 'port' | 'flows'>, name: string, help: string]> = [
  ['flowsOpened', 'ice_repair_flows_opened_total', 'Flows the ICE check repair port admitted (a signed Binding request of a live connection)'],
  ['packetsIn', 'ice_repair_packets_in_total', 'Packets the repair port forwarded from clients to the SFU'],
  ['packetsOut', 'ice_repair_packets_out_total', 'Packets the repair port forwarded from the SFU to clients'],
  ['rewrites', 'ice_repair_rewrites_total', 'Binding requests whose zero ICE tiebreaker the repair port replaced'],
  ['rejects', 'ice_repair_rejects_total', 'Datagrams the repair port dropped (not a signed check of a live connection, or over the flow limit)'],
];

const SFU_TOTALS: ReadonlyArray<[key: keyof Totals, name: string, help: string]> = [
  ['packetsIn', 'sfu_packets_in_total', 'RTP packets received from publishers'],
  ['packetsOut', 'sfu_packets_out_total', 'RTP packets forwarded to subscribers'],
  ['bytesIn', 'sfu_bytes_in_total', 'RTP bytes received from publishers'],
  ['bytesOut', 'sfu_bytes_out_total', 'RTP bytes forwarded to subscribers'],
  ['packetsLost', 'sfu_packets_lost_total', 'Packets publishers sent that never reached the SFU (RTCP receiver statistics)'],
  ['nacksReceived', 'sfu_nacks_received_total', 'NACKs subscribers sent the SFU'],
  ['retransmitted', 'sfu_retransmitted_packets_total', 'Packets the SFU retransmitted after NACKs'],
  ['plisReceived', 'sfu_plis_received_total', 'Keyframe requests (PLI) subscribers sent the SFU'],
  ['plisSent', 'sfu_plis_sent_total', 'Keyframe requests (PLI) the SFU sent publishers, after merging'],
  ['paddingBytes', 'sfu_padding_bytes_total', 'Padding bytes sent to subscribers to probe their bandwidth before a simulcast up-switch'],
  ['probeClusters', 'sfu_probe_clusters_total', 'Probe clusters (back-to-back padding measured by transport-wide feedback) sent to simulcast subscribers'],
  ['connectionsRefused', 'sfu_peer_connections_refused_total', 'Media connections refused for lack of ports or descriptors'],
];

/**
 * The Prometheus metrics of one server (`GET /metrics`), in a registry of its own so that
 * several servers in one process (tests) do not share numbers. Live counts and the SFU's
 * counters are read from the services when scraped (prom-client `collect()` callbacks);
 * signalling requests are the only thing observed as they happen.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #requests: Histogram<'type' | 'outcome'>;
  /** Last value each cumulative total was exported with (see #total). */
  readonly #lastTotals = new Map<string, number>();
  #sfuSnapshot: { at: number; stats: SfuStats } | null = null;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({
        name: PREFIX + name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    };
    gauge('sessions', 'Registered signalling sessions (resumable ones included)', sources.sessions);
    gauge('websocket_connections', 'Open signalling WebSocket connections', sources.connections);
    gauge('conversations', 'Open conversations, all tenants', sources.conversations);
    gauge('groups', 'Presence groups with at least one member', sources.groups);
    gauge('recordings_active', 'Conversations being recorded now', sources.recordings);
    for (const [key, name, help] of SFU_GAUGES) gauge(name, help, () => this.#sfu(sources)[key]);
    const counter = (name: string, help: string, read: () => number): void => {
      const total = (): number => this.#total(name, read());
      new Counter({
        name: PREFIX + name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(total());
        },
      });
    };
    for (const [key, name, help] of SFU_TOTALS) counter(name, help, () => this.#sfu(sources)[key]);
    const repair = sources.iceRepair;
    if (repair) {
      gauge('ice_repair_flows', 'Flows open on the ICE check repair port (clients on TURN/TCP or TLS)', () => repair().flows);
      for (const [key, name, help] of REPAIR_TOTALS) counter(name, help, () => repair()[key]);
    }
    this.#requests = new Histogram({
      name: PREFIX + 'signalling_request_duration_seconds',
      help: 'Signalling requests of established sessions by type and outcome, and the time to answer them',
      labelNames: ['type', 'outcome'],
      // Most requests answer in well under a millisecond; media negotiation waits for the SFU.
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
      registers,
    });
  }

  /** Media type of {@link text}. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Records one answered request. */
  observeRequest(type: string, outcome: RequestOutcome, seconds: number): void {
    this.#requests.observe({ type, outcome }, seconds);
  }

  /** The exposition text of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Forgets every metric (the server is closing). */
  close(): void {
    this.registry.clear();
  }

  /** One SFU snapshot per scrape: the dozen SFU metrics all read the same walk over the peers. */
  #sfu(sources: MetricSources): SfuStats {
    const now = Date.now();
    if (this.#sfuSnapshot === null || now - this.#sfuSnapshot.at > 100) this.#sfuSnapshot = { at: now, stats: sources.sfu() };
    return this.#sfuSnapshot.stats;
  }

  /**
   * A counter never goes down: should a source's total dip (a track's RTCP loss count corrected
   * downwards as late packets arrive), the last value is kept rather than read as a restart.
   */
  #total(name: string, value: number): number {
    const kept = Math.max(this.#lastTotals.get(name) ?? 0, value);
    this.#lastTotals.set(name, kept);
    return kept;
  }
}
