import { randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import {
  StunAttr,
  StunType,
  findAttribute,
  parseStun,
  readUsername,
  repairTiebreaker,
  rewriteMappedAddress,
  verifyIntegrity,
  type StunMessage,
} from './stun.js';

/** What a flow needs of its repair port. @internal */
export interface RepairFlowOwner {
  /** Sends a packet from the repair port to the client. */
  sendToClient(packet: Buffer, port: number, address: string): void;
  /** Counters. */
  counted(what: 'packetsIn' | 'packetsOut' | 'rewrites'): void;
  flowClosed(flow: RepairFlow): void;
}

/** The SFU connection a flow belongs to. */
export interface RepairTarget {
  /** The connection's local ICE ufrag and password. */
  readonly ufrag: string;
  readonly pwd: string;
  /** Where libjuice listens for it. */
  readonly address: string;
  readonly port: number;
}

/**
 * One client address (a TURN relay address, usually) talking to one SFU connection through the
 * repair port. Its own UDP socket gives libjuice one peer-reflexive address per flow, so libjuice
 * answers and checks it as any other pair. Everything passes unchanged except two STUN cases:
 * a Binding request with a zero ICE-CONTROLLING/ICE-CONTROLLED tiebreaker gets this flow's
 * (random, fixed) tiebreaker, and libjuice's Binding success responses get the client's real
 * address in XOR-MAPPED-ADDRESS (else the client would learn the flow socket's loopback address
 * as a new peer-reflexive candidate of its own).
 */
export class RepairFlow {
  readonly clientAddress: string;
  readonly clientPort: number;
  readonly target: RepairTarget;
  /** performance.now() of the last packet either way. */
  lastActive: number;
  readonly #owner: RepairFlowOwner;
  readonly #socket: Socket;
  readonly #tiebreaker: Buffer;
  #closed = false;

  constructor(owner: RepairFlowOwner, clientAddress: string, clientPort: number, target: RepairTarget) {
    this.#owner = owner;
    this.clientAddress = clientAddress;
    this.clientPort = clientPort;
    this.target = target;
    this.lastActive = performance.now();
    this.#tiebreaker = nonZeroTiebreaker();
    this.#socket = createSocket('udp4');
    this.#socket.on('message', this.#fromTarget);
    // A send error (e.g. the connection's port just closed: ICMP unreachable) is not fatal to the server.
    this.#socket.on('error', () => this.close());
    // Sends issued before the bind completes are queued by node.
    this.#socket.bind({ address: target.address, port: 0 });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** A packet from the client, to libjuice. */
  fromClient(packet: Buffer): void {
    if (this.#closed) return;
    this.lastActive = performance.now();
    let out = packet;
    const message = parseStun(packet);
    if (message !== undefined && message.type === StunType.BINDING_REQUEST && this.#ownRequest(packet, message)) {
      const repaired = repairTiebreaker(packet, message, this.#tiebreaker, this.target.pwd);
      if (repaired !== undefined) {
        out = repaired;
        this.#owner.counted('rewrites');
      }
    }
    this.#owner.counted('packetsIn');
    this.#socket.send(out, this.target.port, this.target.address);
  }

  /** Closes the flow's socket. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#socket.close();
    } catch {
      // not bound yet / already closed
    }
    this.#owner.flowClosed(this);
  }

  /** A request for this flow's connection, signed with its password (so re-signing it is ours to do). */
  #ownRequest(packet: Buffer, message: StunMessage): boolean {
    const username = readUsername(packet, message);
    return username !== undefined && username.split(':')[0] === this.target.ufrag && verifyIntegrity(packet, message, this.target.pwd);
  }

  readonly #fromTarget = (packet: Buffer, from: RemoteInfo): void => {
    if (this.#closed || from.port !== this.target.port || from.address !== this.target.address) return;
    this.lastActive = performance.now();
    let out = packet;
    const message = parseStun(packet);
    if (message !== undefined && message.type === StunType.BINDING_SUCCESS && findAttribute(message, StunAttr.XOR_MAPPED_ADDRESS) !== undefined) {
      out = rewriteMappedAddress(packet, message, this.clientAddress, this.clientPort, this.target.pwd) ?? packet;
    }
    this.#owner.counted('packetsOut');
    this.#owner.sendToClient(out, this.clientPort, this.clientAddress);
  };
}

/** A random 64-bit tiebreaker that is not zero (zero is what is being repaired). */
function nonZeroTiebreaker(): Buffer {
  for (;;) {
    const value = randomBytes(8);
    if (value.readBigUInt64BE(0) !== 0n) return value;
  }
}
