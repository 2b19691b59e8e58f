import type { Logger } from '../logging/logger.js';
import { Emitter, type ListenerErrorSink } from '../util/Emitter.js';
import type { ClusterBus } from './ClusterBus.js';

/** Events of {@link NodeRegistry}. */
export interface NodeRegistryEvents {
  /** Runs after each heartbeat of this node (SessionDirectory refreshes its ids then). */
  beat: [];
  /** Node `nodeId` missed its heartbeats (or said goodbye): its users are gone. */
  nodeGone: [nodeId: string];
}

/** What a node advertises about itself in `<prefix>nodes`. */
export interface NodeInfo {
  url: string;
  /** Live sessions on the node. */
  sessions: number;
  /** Conversations open on the node (placement by load reads it). */
  conversations: number;
  /** Draining (SIGTERM with `shutdown.drainSeconds`): no new conversation is placed there. */
  draining?: boolean;
}

/**
 * Node health. Every node sets `<prefix>alive:<id>` with a time-to-live of `missed` heartbeats
 * and refreshes it at each heartbeat; `<prefix>nodes` lists the nodes (id → NodeInfo JSON). At
 * each heartbeat a node also checks the others: a listed node whose liveness key expired is
 * dead; the first to notice removes it from the list, and every node drops that node's users
 * from its own state (each node keeps its own mirror, so no node has to do it for the others).
 */
export class NodeRegistry extends Emitter<NodeRegistryEvents> {
  readonly #bus: ClusterBus;
  readonly #heartbeatMs: number;
  readonly #ttlMs: number;
  readonly #info: () => NodeInfo;
  readonly #log: Logger;
  /** Nodes seen alive at the last check. */
  readonly #known = new Set<string>();
  /** Their advertised base URLs. */
  readonly #urls = new Map<string, string>();
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(bus: ClusterBus, options: { heartbeatMs: number; missedHeartbeats: number; info: () => NodeInfo; log: Logger }, errorSink?: ListenerErrorSink) {
    super(errorSink);
    this.#bus = bus;
    this.#heartbeatMs = options.heartbeatMs;
    this.#ttlMs = options.heartbeatMs * options.missedHeartbeats;
    this.#info = options.info;
    this.#log = options.log;
  }

  /** Other nodes alive at the last heartbeat. */
  get peers(): ReadonlySet<string> {
    return this.#known;
  }

  /** Announces this node and starts the heartbeat. */
  async start(): Promise<void> {
    await this.#beat();
    this.#timer = setInterval(() => {
      this.#beat().catch((error: unknown) => this.#log.warn({ err: error }, 'cluster heartbeat failed'));
    }, this.#heartbeatMs);
    this.#timer.unref();
  }

  /** Base URLs of the other nodes alive at the last heartbeat. */
  peerUrls(): string[] {
    const out: string[] = [];
    for (const id of this.#known) {
      const url = this.#urls.get(id);
      if (url !== undefined) out.push(url);
    }
    return out;
  }

  /**
   * Whether node `nodeId` is alive now: its liveness key exists and its last heartbeat is less
   * than two heartbeats (at least 1 s, against timer delays on a loaded machine) old. The second test lets a node that just died lose its users' ids and
   * conversations within two heartbeats rather than the whole missed-heartbeat window (a client
   * reconnecting to another node registers sooner than that). Compares this node's clock with
   * the holder's: keep the nodes' clocks synchronised (NTP).
   */
  async isAlive(nodeId: string): Promise<boolean> {
    const beat = await this.#bus.redis.get(this.#bus.key(`alive:${nodeId}`));
    if (beat === null) return false;
    return Date.now() - Number(beat) < Math.max(2 * this.#heartbeatMs, 1_000);
  }

  /** The live nodes and what they advertise, this one included. */
  async nodes(): Promise<Map<string, NodeInfo>> {
    const listed = await this.#bus.redis.hgetall(this.#bus.key('nodes'));
    const ids = Object.keys(listed);
    const out = new Map<string, NodeInfo>();
    if (ids.length === 0) return out;
    const alive = await this.#bus.redis.mget(ids.map((id) => this.#bus.key(`alive:${id}`)));
    ids.forEach((id, i) => {
      const text = listed[id];
      if (alive[i] !== null && text !== undefined) out.set(id, JSON.parse(text) as NodeInfo);
    });
    return out;
  }

  /** A node said goodbye (graceful stop): forget it now rather than after its time-to-live. */
  forget(nodeId: string): void {
    this.#urls.delete(nodeId);
    if (!this.#known.delete(nodeId)) return;
    this.emit('nodeGone', nodeId);
  }

  /** Stops the heartbeat and removes this node from Redis; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    const { redis } = this.#bus;
    await Promise.allSettled([redis.del(this.#bus.key(`alive:${this.#bus.nodeId}`)), redis.hdel(this.#bus.key('nodes'), this.#bus.nodeId)]);
    this.removeAllListeners();
  }

  async #beat(): Promise<void> {
    if (this.#closed) return;
    const { redis, nodeId } = this.#bus;
    await redis
      .multi()
      .set(this.#bus.key(`alive:${nodeId}`), String(Date.now()), 'PX', this.#ttlMs)
      .hset(this.#bus.key('nodes'), nodeId, JSON.stringify(this.#info()))
      .exec();
    this.emit('beat');
    const listing = await redis.hgetall(this.#bus.key('nodes'));
    const others = Object.keys(listing).filter((id) => id !== nodeId);
    for (const id of others) {
      const url = urlOf(listing[id]);
      if (url !== undefined) this.#urls.set(id, url);
    }
    const alive = others.length === 0 ? [] : await redis.mget(others.map((id) => this.#bus.key(`alive:${id}`)));
    const now = new Set<string>();
    for (let i = 0; i < others.length; i++) {
      const id = others[i] as string;
      if (alive[i] !== null) now.add(id);
      else {
        // Dead: whoever notices first unlists it; every node drops its users below.
        await redis.hdel(this.#bus.key('nodes'), id);
        this.#log.warn({ node: id }, 'cluster node missed its heartbeats: removed');
        // Even one never seen alive here: its users may have come with a `state` message.
        this.#known.delete(id);
        this.#urls.delete(id);
        this.emit('nodeGone', id);
      }
    }
    for (const id of [...this.#known]) if (!now.has(id)) this.forget(id);
    for (const id of now) this.#known.add(id);
  }
}

/** The URL in a node's advertised info, if it parses. */
function urlOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const url = (JSON.parse(text) as Partial<NodeInfo>).url;
    return typeof url === 'string' && url !== '' ? url : undefined;
  } catch {
    return undefined;
  }
}
