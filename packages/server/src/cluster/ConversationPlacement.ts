import type { Logger } from '../logging/logger.js';
import type { ClusterBus } from './ClusterBus.js';
import type { NodeInfo, NodeRegistry } from './NodeRegistry.js';

/** Renews KEYS[1] only while this node (ARGV[1]) holds it. */
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/**
 * Which node a conversation lives on: `<prefix>conv:<key>:<name>` = node id, a lease with the
 * missed-heartbeat time-to-live, renewed at every heartbeat by the node while the conversation is
 * open there. The first join places it on the live node with the fewest conversations (this node
 * on a tie, which saves the proxy hop for the first participant); two nodes placing the same
 * conversation at once agree through SET NX. A lease held by a dead node is taken over, so the
 * conversation is recreated elsewhere when its participants rejoin.
 */
export class ConversationPlacement {
  readonly #bus: ClusterBus;
  readonly #nodes: NodeRegistry;
  readonly #ttlMs: number;
  readonly #log: Logger;

  constructor(bus: ClusterBus, nodes: NodeRegistry, ttlMs: number, log: Logger) {
    this.#bus = bus;
    this.#nodes = nodes;
    this.#ttlMs = ttlMs;
    this.#log = log;
  }

  /** The node owning conversation `name` of `apiKey`, placing it first when nobody does. */
  async ownerOf(apiKey: string, name: string): Promise<string> {
    const { redis } = this.#bus;
    const key = this.#key(apiKey, name);
    const holder = await redis.get(key);
    if (holder !== null && (holder === this.#bus.nodeId || (await this.#nodes.isAlive(holder)))) return holder;
    const chosen = await this.#leastLoaded();
    if (holder === null) {
      if ((await redis.set(key, chosen, 'PX', this.#ttlMs, 'NX')) === 'OK') return chosen;
      // Another node placed it meanwhile: its choice stands.
      return (await redis.get(key)) ?? chosen;
    }
    // The holder is dead: move the conversation. (Two nodes doing this at once may pick
    // different nodes; the later write wins and the earlier one's participants rejoin again.)
    this.#log.info({ conversation: name, from: holder, to: chosen }, 'conversation of a dead node placed again');
    await redis.set(key, chosen, 'PX', this.#ttlMs);
    return chosen;
  }

  /** Renews the leases of the conversations open on this node (each heartbeat). */
  async renew(open: Iterable<{ apiKey: string; name: string }>): Promise<void> {
    const pipeline = this.#bus.redis.pipeline();
    let n = 0;
    for (const { apiKey, name } of open) {
      pipeline.eval(RENEW, 1, this.#key(apiKey, name), this.#bus.nodeId, this.#ttlMs);
      n++;
    }
    if (n > 0) await pipeline.exec();
  }

  async #leastLoaded(): Promise<string> {
    return leastLoaded(await this.#nodes.nodes(), this.#bus.nodeId);
  }

  #key(apiKey: string, name: string): string {
    return this.#bus.key(`conv:${encodeURIComponent(apiKey)}:${encodeURIComponent(name)}`);
  }
}

/**
 * The node with the fewest open conversations among `nodes` (the live ones), leaving out draining
 * nodes; `self` on a tie, and `self` when no node qualifies (none listed yet, because Redis
 * answered before this node's first heartbeat was, or all draining: then this node refuses).
 */
export function leastLoaded(nodes: ReadonlyMap<string, Pick<NodeInfo, 'conversations' | 'draining'>>, self: string): string {
  let best = self;
  const own = nodes.get(self);
  let bestLoad = own === undefined || own.draining === true ? Infinity : own.conversations;
  for (const [id, info] of nodes) {
    if (info.draining !== true && info.conversations < bestLoad) {
      best = id;
      bestLoad = info.conversations;
    }
  }
  return best;
}
