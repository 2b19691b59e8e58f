import { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import { Emitter, type ListenerErrorSink } from '../util/Emitter.js';
import { ClusterMessage } from './ClusterMessage.js';

/** Events of {@link ClusterBus}. */
export interface ClusterBusEvents {
  /** A valid message from another node (this node's own broadcasts are not echoed). */
  message: [message: ClusterMessage];
}

/**
 * The nodes' shared channel: Redis pub/sub through ioredis. One connection runs commands and
 * publishes, a second one only subscribes (a subscribed Redis connection accepts no other
 * command). Two channels are used: one every node reads (`<prefix>all`) and one per node
 * (`<prefix>node:<id>`) for replies and deliveries to one node's users.
 *
 * Pub/sub is at-most-once: a message published while a node is disconnected from Redis is lost
 * to it. Presence repairs itself at the next state exchange (see PresenceMirror); a lost
 * delivery is a lost event, as when a socket drops without resume.
 */
export class ClusterBus extends Emitter<ClusterBusEvents> {
  readonly nodeId: string;
  readonly prefix: string;
  /** Commands and publishing. */
  readonly redis: Redis;
  readonly #sub: Redis;
  readonly #log: Logger;
  #closed = false;

  constructor(url: string, nodeId: string, prefix: string, log: Logger, errorSink?: ListenerErrorSink) {
    super(errorSink);
    this.nodeId = nodeId;
    this.prefix = prefix;
    this.#log = log;
    // lazyConnect: start() connects and reports a bad URL or an absent Redis as a startup error.
    const options = { lazyConnect: true, maxRetriesPerRequest: 3, connectionName: `parley-${nodeId}` };
    this.redis = new Redis(url, options);
    this.#sub = new Redis(url, options);
    for (const connection of [this.redis, this.#sub]) {
      // Without a listener ioredis prints every reconnection error; the log gets them instead.
      connection.on('error', (error: Error) => this.#log.warn({ err: error }, 'redis connection error'));
    }
    this.#sub.on('message', (_channel: string, text: string) => this.#received(text));
  }

  /** Connects both connections and subscribes to the shared and the node's own channel. */
  async start(): Promise<void> {
    await Promise.all([this.redis.connect(), this.#sub.connect()]);
    await this.#sub.subscribe(this.#channel('all'), this.#channel(`node:${this.nodeId}`));
  }

  /** Sends `message` to every other node. */
  broadcast(message: ClusterMessage): void {
    this.#publish(this.#channel('all'), message);
  }

  /** Sends `message` to node `nodeId` only. */
  send(nodeId: string, message: ClusterMessage): void {
    this.#publish(this.#channel(`node:${nodeId}`), message);
  }

  /** A Redis key under this cluster's prefix. */
  key(name: string): string {
    return this.prefix + name;
  }

  /** Disconnects; safe to call twice. Pending publishes are flushed first (QUIT waits for them). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.removeAllListeners();
    await Promise.allSettled([this.#sub.quit(), this.redis.quit()]);
  }

  #channel(name: string): string {
    return this.prefix + name;
  }

  #publish(channel: string, message: ClusterMessage): void {
    if (this.#closed) return;
    this.redis.publish(channel, JSON.stringify(message)).catch((error: unknown) => {
      this.#log.warn({ err: error, type: message.t }, 'cluster message not published');
    });
  }

  #received(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.#log.warn('cluster message is not JSON: ignored');
      return;
    }
    const parsed = ClusterMessage.safeParse(json);
    if (!parsed.success) {
      this.#log.warn({ issues: parsed.error.issues.slice(0, 3) }, 'invalid cluster message: ignored');
      return;
    }
    if (parsed.data.node === this.nodeId) return;
    this.emit('message', parsed.data);
  }
}
