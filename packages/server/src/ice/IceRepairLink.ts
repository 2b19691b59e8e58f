import { isIP } from 'node:net';
import type { IceRepairPort } from './IceRepairPort.js';

type Transport = 'publisher' | 'subscriber';

/** What the link knows of one of the participant's SFU connections. */
interface Connection {
  ufrag: string;
  pwd: string;
  /** Whether the repair candidate went out for these credentials. */
  announced: boolean;
}

/**
 * One participant's use of the {@link IceRepairPort}: reads the ICE credentials and the host
 * candidates of the SDP and candidates the SFU sends it, registers each connection with the port
 * and adds the repair candidate next to the first IPv4 UDP host candidate of each connection.
 * Sits in the signalling layer, which sees those messages whether the SFU runs in this process or
 * in a media worker.
 */
export class IceRepairLink {
  readonly #port: IceRepairPort;
  readonly #connections = new Map<Transport, Connection>();
  #closed = false;

  constructor(port: IceRepairPort) {
    this.#port = port;
  }

  /**
   * A local description of `transport` on its way to the browser. Returns it, with the repair
   * candidate added when it carries a host candidate (the publisher's answer does).
   */
  description(transport: Transport, sdp: string): string {
    if (this.#closed || this.#port.closed) return sdp;
    const ufrag = /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
    const pwd = /^a=ice-pwd:(\S+)/m.exec(sdp)?.[1];
    if (ufrag === undefined || pwd === undefined) return sdp;
    const connection = this.#track(transport, ufrag, pwd);
    // Every answer gets it again: a re-offer's answer replaces the browser's remote description.
    const lines = sdp.split('\r\n');
    const index = lines.findIndex((l) => l.startsWith('a=candidate:') && hostEndpoint(l.slice(2)) !== undefined);
    if (index < 0) return sdp;
    const line = this.#announce(connection, lines[index]!.slice(2));
    if (line === undefined) return sdp;
    lines.splice(index + 1, 0, 'a=' + line);
    return lines.join('\r\n');
  }

  /**
   * A trickled local candidate of `transport` on its way to the browser. Returns the repair
   * candidate to send right after it, the first time a usable host candidate goes out for the
   * connection's current credentials.
   */
  candidate(transport: Transport, candidate: string): string | undefined {
    if (this.#closed || this.#port.closed) return undefined;
    const connection = this.#connections.get(transport);
    if (connection === undefined || connection.announced) return undefined;
    return this.#announce(connection, candidate);
  }

  /** One connection failed (the SFU closed it; a fresh one brings new credentials): it leaves the port. */
  forget(transport: Transport): void {
    const connection = this.#connections.get(transport);
    if (connection === undefined) return;
    this.#connections.delete(transport);
    this.#port.unregister(connection.ufrag);
  }

  /** The participant's media ended: its connections leave the port. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const c of this.#connections.values()) this.#port.unregister(c.ufrag);
    this.#connections.clear();
  }

  #track(transport: Transport, ufrag: string, pwd: string): Connection {
    const known = this.#connections.get(transport);
    if (known !== undefined && known.ufrag === ufrag && known.pwd === pwd) return known;
    // A new connection (the old one failed) or an ICE restart: the old credentials are dead.
    if (known !== undefined) this.#port.unregister(known.ufrag);
    const connection: Connection = { ufrag, pwd, announced: false };
    this.#connections.set(transport, connection);
    return connection;
  }

  #announce(connection: Connection, candidate: string): string | undefined {
    const host = hostEndpoint(candidate);
    if (host === undefined) return undefined;
    this.#port.register(connection.ufrag, connection.pwd, host.port);
    connection.announced = true;
    return this.#port.candidateFor(host.address);
  }
}

/** Address and port of an IPv4 UDP host candidate line (`candidate:…`), else undefined. */
function hostEndpoint(candidate: string): { address: string; port: number } | undefined {
  const f = candidate.split(' ');
  if (f.length < 8 || f[2]?.toLowerCase() !== 'udp' || f[6] !== 'typ' || f[7] !== 'host') return undefined;
  const address = f[4]!;
  const port = Number(f[5]);
  if (isIP(address) !== 4 || !Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  return { address, port };
}
