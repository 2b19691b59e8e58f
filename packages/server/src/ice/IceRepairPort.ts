import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { Emitter, type ListenerErrorSink } from '../util/Emitter.js';
import { RepairFlow, type RepairFlowOwner, type RepairTarget } from './RepairFlow.js';
import { StunType, parseStun, readUsername, verifyIntegrity } from './stun.js';

/** Options of {@link IceRepairPort.open}. */
export interface IceRepairOptions {
  /** UDP port to listen on; 0 lets the OS pick (fine for tests, not behind a firewall). */
  port: number;
  /** Local address to listen on (the SFU's `bindAddress`); default every IPv4 interface. */
  bindAddress?: string | undefined;
  /** Address libjuice listens on as seen from here: the SFU's `bindAddress`, else 127.0.0.1. */
  targetAddress?: string | undefined;
  /** Most flows at once; a new flow beyond is dropped. Default 512. */
  maxFlows?: number;
  /**
   * Most flows of one SFU connection (a browser uses one per relay candidate that checks the
   * repair candidate: a handful). Keeps one participant from taking every flow. Default 8.
   */
  maxFlowsPerConnection?: number;
  /** A flow without a packet either way for this long is closed, ms. Default 30,000. */
  idleTimeoutMs?: number;
}

/** Counters of the repair port (in /api/v1/stats as `sfu.iceRepair`). */
export interface IceRepairStats {
  port: number;
  /** Flows open now. */
  flows: number;
  /** Flows admitted since start. */
  flowsOpened: number;
  /** Packets forwarded client → SFU and SFU → client. */
  packetsIn: number;
  packetsOut: number;
  /** Binding requests whose zero tiebreaker was replaced. */
  rewrites: number;
  /** Datagrams dropped: not a signed Binding request of a live connection, or over a flow limit. */
  rejects: number;
}

/** Events of an {@link IceRepairPort}. */
export interface IceRepairPortEvents {
  closed: [];
}

/** Priority of the repair candidate: type preference host (126), the lowest local preference, component 1 (RFC 8445 §5.1.2.1). */
const REPAIR_PRIORITY = 126 * 2 ** 24 + 1 * 2 ** 8 + 255;

/**
 * The ICE check repair port (docs/operations.md § TURN): one UDP socket, announced to browsers as
 * one more host candidate of every SFU connection, that forwards each admitted flow to the
 * connection's libjuice port and repairs the zero tiebreaker Chromium puts in checks it sends
 * through a TURN/TCP allocation (libjuice answers those 400). A flow is admitted only on a
 * Binding request whose USERNAME names a live connection and whose MESSAGE-INTEGRITY verifies
 * with that connection's password: the port relays nothing for anyone else.
 */
export class IceRepairPort extends Emitter<IceRepairPortEvents> implements RepairFlowOwner {
  readonly #socket: Socket;
  readonly #port: number;
  readonly #targetAddress: string;
  readonly #maxFlows: number;
  readonly #maxFlowsPerConnection: number;
  readonly #idleTimeoutMs: number;
  /** Live SFU connections by local ufrag. */
  readonly #targets = new Map<string, RepairTarget>();
  /** Flows by client `address:port`. */
  readonly #flows = new Map<string, RepairFlow>();
  readonly #sweep: NodeJS.Timeout;
  readonly #counters = { flowsOpened: 0, packetsIn: 0, packetsOut: 0, rewrites: 0, rejects: 0 };
  #closed = false;

  private constructor(socket: Socket, options: IceRepairOptions, errorSink?: ListenerErrorSink) {
    super(errorSink);
    this.#socket = socket;
    this.#port = socket.address().port;
    this.#targetAddress = options.targetAddress ?? '127.0.0.1';
    this.#maxFlows = options.maxFlows ?? 512;
    this.#maxFlowsPerConnection = options.maxFlowsPerConnection ?? 8;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    socket.on('message', this.#fromClient);
    // Errors of an unconnected UDP socket are per-datagram (e.g. ICMP feedback): nothing to stop for.
    socket.on('error', () => undefined);
    this.#sweep = setInterval(this.#closeIdle, Math.max(50, Math.min(5_000, this.#idleTimeoutMs / 3)));
    this.#sweep.unref();
  }

  /** Binds the port. @throws when the socket cannot be bound (port taken, bad address) */
  static open(options: IceRepairOptions, errorSink?: ListenerErrorSink): Promise<IceRepairPort> {
    const socket = createSocket('udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', (error) => {
        socket.close();
        reject(error);
      });
      socket.bind({ port: options.port, ...(options.bindAddress !== undefined ? { address: options.bindAddress } : {}) }, () => {
        socket.removeAllListeners('error');
        resolve(new IceRepairPort(socket, options, errorSink));
      });
    });
  }

  get port(): number {
    return this.#port;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Admits flows for an SFU connection: its local ufrag and password, and the port of its libjuice
   * host candidate. Registering a ufrag again replaces its target (and closes its flows).
   */
  register(ufrag: string, pwd: string, targetPort: number): void {
    if (this.#closed) return;
    const existing = this.#targets.get(ufrag);
    if (existing !== undefined && existing.pwd === pwd && existing.port === targetPort) return;
    if (existing !== undefined) this.unregister(ufrag);
    this.#targets.set(ufrag, { ufrag, pwd, address: this.#targetAddress, port: targetPort });
  }

  /** The connection closed or changed credentials: its flows close and new ones are refused. */
  unregister(ufrag: string): void {
    if (!this.#targets.delete(ufrag)) return;
    for (const flow of [...this.#flows.values()]) if (flow.target.ufrag === ufrag) flow.close();
  }

  /** The repair candidate (`candidate:…`, no `a=`) to announce next to a host candidate on `address`. */
  candidateFor(address: string): string {
    return `candidate:parleyrepair 1 udp ${REPAIR_PRIORITY} ${address} ${this.#port} typ host`;
  }

  getStats(): IceRepairStats {
    return { port: this.#port, flows: this.#flows.size, ...this.#counters };
  }

  /** Closes the port and every flow. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweep);
    for (const flow of [...this.#flows.values()]) flow.close();
    this.#targets.clear();
    try {
      this.#socket.close();
    } catch {
      // already closed
    }
    this.emit('closed');
    this.removeAllListeners();
  }

  /** @internal {@link RepairFlowOwner} */
  sendToClient(packet: Buffer, port: number, address: string): void {
    if (!this.#closed) this.#socket.send(packet, port, address);
  }

  /** @internal {@link RepairFlowOwner} */
  counted(what: 'packetsIn' | 'packetsOut' | 'rewrites'): void {
    this.#counters[what]++;
  }

  /** @internal {@link RepairFlowOwner} */
  flowClosed(flow: RepairFlow): void {
    const key = `${flow.clientAddress}:${flow.clientPort}`;
    if (this.#flows.get(key) === flow) this.#flows.delete(key);
  }

  readonly #fromClient = (packet: Buffer, from: RemoteInfo): void => {
    const key = `${from.address}:${from.port}`;
    const flow = this.#flows.get(key);
    if (flow !== undefined) {
      flow.fromClient(packet);
      return;
    }
    const target = this.#admit(packet);
    if (target === undefined || this.#flows.size >= this.#maxFlows || this.#flowsOf(target) >= this.#maxFlowsPerConnection) {
      this.#counters.rejects++;
      return;
    }
    const created = new RepairFlow(this, from.address, from.port, target);
    this.#flows.set(key, created);
    this.#counters.flowsOpened++;
    created.fromClient(packet);
  };

  /** The connection a flow's first packet is for, when it is a Binding request signed with that connection's password. */
  #admit(packet: Buffer): RepairTarget | undefined {
    const message = parseStun(packet);
    if (message === undefined || message.type !== StunType.BINDING_REQUEST) return undefined;
    const username = readUsername(packet, message);
    const colon = username?.indexOf(':') ?? -1;
    if (username === undefined || colon <= 0) return undefined;
    const target = this.#targets.get(username.slice(0, colon));
    if (target === undefined || !verifyIntegrity(packet, message, target.pwd)) return undefined;
    return target;
  }

  #flowsOf(target: RepairTarget): number {
    let n = 0;
    for (const flow of this.#flows.values()) if (flow.target === target) n++;
    return n;
  }

  readonly #closeIdle = (): void => {
    const oldest = performance.now() - this.#idleTimeoutMs;
    for (const flow of [...this.#flows.values()]) if (flow.lastActive < oldest) flow.close();
  };
}
