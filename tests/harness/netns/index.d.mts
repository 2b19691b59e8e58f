// Types of the network-emulation harness (written in plain JavaScript so the .mjs benchmarks can
// import it as well as the TypeScript tests).
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { EventEmitter } from 'node:events';

export interface UdpEndpoint {
  address: string;
  port: number;
}

export type Direction = 'down' | 'up';

export interface KernelCapabilities {
  veth: boolean;
  tbf: boolean;
  htb: boolean;
  nftNumgen: boolean;
  nftNat: boolean;
  netem: boolean;
}

/** Throws, saying why, unless this process may create namespaces (root) and ip/tc/nft exist. */
export function assertNetAdmin(): void;
/** Probes what the kernel offers, in a throw-away namespace. */
export function probeKernel(): Promise<KernelCapabilities>;

export class NetNamespace {
  /** Creates a namespace joined to the host by a veth pair (198.51.100.0/24). */
  static create(): Promise<NetNamespace>;
  private constructor();
  readonly name: string;
  readonly hostInterface: string;
  readonly interface: string;
  /** Host end of the veth: reach host servers from inside at this address. */
  readonly hostAddress: string;
  /** Namespace end of the veth. */
  readonly address: string;
  exec(command: string, args?: readonly string[], options?: { input?: string }): Promise<string>;
  spawn(command: string, args?: readonly string[], options?: SpawnOptions): ChildProcess;
  wrapExecutable(executable: string): string;
  limitRate(direction: Direction, kbit: number | undefined, options?: { burstBytes?: number; latencyMs?: number }): Promise<void>;
  setLoss(percent: number, options?: { direction?: Direction | 'both'; protocol?: 'all' | 'udp' }): Promise<void>;
  blockUdp(blocked?: boolean, options?: { except?: readonly UdpEndpoint[] }): Promise<void>;
  redirectUdp(target: UdpEndpoint, via: UdpEndpoint): Promise<void>;
  ruleset(): Promise<string>;
  lossDropped(direction?: Direction): Promise<number>;
  counters(): Promise<{ rx: Record<string, number>; tx: Record<string, number> }>;
  close(): Promise<void>;
  closeSync(): void;
}

export interface UdpDelayRelayOptions {
  listen: { address: string; port?: number };
  target: UdpEndpoint;
  delayMs?: number;
  jitterMs?: number;
  reorder?: boolean;
  /** Local address of the upstream sockets (default: any). */
  upstreamBindAddress?: string;
}

export class UdpDelayRelay extends EventEmitter {
  static start(options: UdpDelayRelayOptions): Promise<UdpDelayRelay>;
  private constructor();
  readonly address: UdpEndpoint;
  readonly stats: { toTarget: number; toClient: number };
  setDelay(delayMs: number, jitterMs?: number): void;
  close(): Promise<void>;
}
