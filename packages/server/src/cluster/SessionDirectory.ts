import { randomBytes } from 'node:crypto';
import { ErrorCode, ParleyError } from '@parley/protocol';
import type { Logger } from '../logging/logger.js';
import type { SessionClaims } from '../session/SessionClaims.js';
import type { SessionRegistry } from '../session/SessionRegistry.js';
import type { UserSession } from '../session/UserSession.js';
import type { ClusterBus } from './ClusterBus.js';
import type { NodeRegistry } from './NodeRegistry.js';

/** Deletes KEYS[1] only while it still holds ARGV[1] (a later claim is left alone). */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Which node holds each registered user id, in Redis: `<prefix>user:<key>:<id>` = `<node> <claim>`,
 * with a time-to-live of the node's missed-heartbeat window, refreshed at every heartbeat while
 * the session lives. A node that dies stops refreshing: its ids free themselves, and a claim
 * that finds the holder dead takes the id at once rather than waiting.
 *
 * The claim part (random) makes each registration's hold distinct, so that ending a replaced
 * session never frees the id its successor just claimed.
 */
export class SessionDirectory implements SessionClaims {
  readonly #bus: ClusterBus;
  readonly #nodes: NodeRegistry;
  readonly #ttlMs: number;
  readonly #log: Logger;
  readonly #claims = new WeakMap<UserSession, string>();

  constructor(bus: ClusterBus, nodes: NodeRegistry, ttlMs: number, log: Logger) {
    this.#bus = bus;
    this.#nodes = nodes;
    this.#ttlMs = ttlMs;
    this.#log = log;
  }

  async claim(apiKey: string, userId: string, identified: boolean): Promise<string> {
    const { redis, nodeId } = this.#bus;
    const key = this.#key(apiKey, userId);
    const claim = `${nodeId} ${randomBytes(9).toString('base64url')}`;
    if (identified) {
      // Identified ids are authoritative: take it, and tell a holder elsewhere to close its session.
      const previous = await redis.set(key, claim, 'PX', this.#ttlMs, 'GET');
      const holder = nodeOf(previous);
      if (holder !== null && holder !== nodeId) this.#bus.send(holder, { t: 'replace', node: nodeId, apiKey, userId });
      return claim;
    }
    if ((await redis.set(key, claim, 'PX', this.#ttlMs, 'NX')) === 'OK') return claim;
    const holder = nodeOf(await redis.get(key));
    if (holder !== null && holder !== nodeId && !(await this.#nodes.isAlive(holder))) {
      // The holder died and its hold has not expired yet: the id is free in fact.
      this.#log.info({ userId, node: holder }, 'user id held by a dead node: taken over');
      await redis.set(key, claim, 'PX', this.#ttlMs);
      return claim;
    }
    throw new ParleyError(ErrorCode.INITIALISATION_FAILED, `id ${userId} is already in use`);
  }

  adopt(session: UserSession, claim: string): void {
    this.#claims.set(session, claim);
  }

  abandon(apiKey: string, userId: string, claim: string): void {
    this.#release(this.#key(apiKey, userId), claim);
  }

  release(session: UserSession): void {
    const claim = this.#claims.get(session);
    if (claim === undefined) return;
    this.#claims.delete(session);
    this.#release(this.#key(session.apiKey, session.userId), claim);
  }

  /** The node holding `userId` under `apiKey`, or null when nobody does. */
  async locate(apiKey: string, userId: string): Promise<string | null> {
    return nodeOf(await this.#bus.redis.get(this.#key(apiKey, userId)));
  }

  /** Extends the hold of every session of this node (called at each heartbeat). */
  async refresh(registry: SessionRegistry): Promise<void> {
    const pipeline = this.#bus.redis.pipeline();
    let n = 0;
    for (const session of registry.values()) {
      if (!this.#claims.has(session)) continue;
      pipeline.pexpire(this.#key(session.apiKey, session.userId), this.#ttlMs);
      n++;
    }
    if (n > 0) await pipeline.exec();
  }

  #release(key: string, claim: string): void {
    this.#bus.redis.eval(RELEASE, 1, key, claim).catch((error: unknown) => {
      // The id then frees itself when its time-to-live runs out.
      this.#log.warn({ err: error }, 'user id not released');
    });
  }

  #key(apiKey: string, userId: string): string {
    return this.#bus.key(`user:${encodeURIComponent(apiKey)}:${encodeURIComponent(userId)}`);
  }
}

function nodeOf(claim: string | null): string | null {
  if (claim === null) return null;
  const space = claim.indexOf(' ');
  return space < 0 ? claim : claim.slice(0, space);
}
