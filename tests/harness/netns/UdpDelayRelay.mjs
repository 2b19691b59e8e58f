// Userspace delay and jitter for UDP, because this kernel has no netem. The relay listens on one
// address; each client (source address:port) gets its own upstream socket towards `target`, so
// the target sees one distinct peer per client, and answers go back through the listening socket.
// Every datagram is held `delayMs` ± `jitterMs` (uniform) in each direction. Order is kept by
// default (a datagram never leaves before the one queued ahead of it on the same flow), which is
// what a real path with queueing jitter does; `reorder: true` lets jittered datagrams overtake.
//
// Pair it with NetNamespace.redirectUdp(target, relay.address) to put it transparently on a
// namespace's path to a server: the client keeps talking to the server's real address.
import { createSocket } from 'node:dgram';
import { EventEmitter } from 'node:events';

export class UdpDelayRelay extends EventEmitter {
  /**
   * @param {{ listen: { address: string, port?: number }, target: { address: string, port: number },
   *   delayMs?: number, jitterMs?: number, reorder?: boolean, upstreamBindAddress?: string }} options
   */
  static async start(options) {
    const relay = new UdpDelayRelay(options);
    await relay.#bind();
    return relay;
  }

  #options;
  #socket;
  #flows = new Map();
  #timers = new Set();
  #closed = false;
  /** Datagrams forwarded in each direction (after their delay). */
  stats = { toTarget: 0, toClient: 0 };

  constructor(options) {
    super();
    this.#options = { delayMs: 0, jitterMs: 0, reorder: false, ...options };
    this.#socket = createSocket('udp4');
  }

  /** Where clients send (the address given, the port bound). */
  get address() {
    const a = this.#socket.address();
    return { address: a.address, port: a.port };
  }

  /** Changes the delay and jitter from now on (datagrams already queued keep theirs). */
  setDelay(delayMs, jitterMs = 0) {
    this.#options.delayMs = delayMs;
    this.#options.jitterMs = jitterMs;
  }

  #bind() {
    const { listen } = this.#options;
    return new Promise((resolve, reject) => {
      this.#socket.once('error', reject);
      this.#socket.bind(listen.port ?? 0, listen.address, () => {
        this.#socket.off('error', reject);
        this.#socket.on('error', (error) => this.emit('error', error));
        this.#socket.on('message', (msg, rinfo) => this.#fromClient(msg, rinfo));
        resolve();
      });
    });
  }

  #holdTime(flowQueue) {
    const { delayMs, jitterMs, reorder } = this.#options;
    const due = Date.now() + Math.max(0, delayMs + (Math.random() * 2 - 1) * jitterMs);
    if (reorder) return due;
    const at = Math.max(due, flowQueue.lastDue);
    flowQueue.lastDue = at;
    return at;
  }

  #later(at, send) {
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        if (!this.#closed) send();
      },
      Math.max(0, at - Date.now()),
    );
    this.#timers.add(timer);
  }

  #fromClient(msg, rinfo) {
    const key = `${rinfo.address}:${rinfo.port}`;
    let flow = this.#flows.get(key);
    if (!flow) {
      const upstream = createSocket('udp4');
      flow = { upstream, up: { lastDue: 0 }, down: { lastDue: 0 }, ready: false, pending: [] };
      const f = flow;
      this.#flows.set(key, f);
      upstream.on('error', (error) => this.emit('error', error));
      upstream.on('message', (answer) => {
        const at = this.#holdTime(f.down);
        this.#later(at, () => {
          this.stats.toClient++;
          this.#socket.send(answer, rinfo.port, rinfo.address);
        });
      });
      upstream.bind(0, this.#options.upstreamBindAddress, () => {
        f.ready = true;
        for (const send of f.pending.splice(0)) send();
      });
    }
    const f = flow;
    const at = this.#holdTime(f.up);
    const { address, port } = this.#options.target;
    const send = () => {
      this.stats.toTarget++;
      f.upstream.send(msg, port, address);
    };
    this.#later(at, () => (f.ready ? send() : f.pending.push(send)));
  }

  /** Stops forwarding and closes every socket. Idempotent. */
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closing = [this.#socket, ...[...this.#flows.values()].map((f) => f.upstream)].map(
      (s) =>
        new Promise((resolve) => {
          try {
            s.close(() => resolve());
          } catch {
            resolve(); // never bound
          }
        }),
    );
    this.#flows.clear();
    await Promise.all(closing);
  }
}
