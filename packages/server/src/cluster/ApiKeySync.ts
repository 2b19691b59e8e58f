import { z } from 'zod';
import type { ApiKey, ApiKeyStore } from '../auth/ApiKeyStore.js';
import type { Logger } from '../logging/logger.js';
import type { ClusterBus } from './ClusterBus.js';

/** A key as stored in `<prefix>apikeys` (validated: it is read back from Redis). */
const SharedKey = z.strictObject({
  key: z.string().regex(/^[A-Za-z0-9_.-]{1,256}$/),
  secret: z.string().min(16).max(512),
  enabled: z.boolean(),
  allowedOrigins: z.array(z.string().max(2048)).max(1000).nullable(),
  allowAnonymous: z.boolean(),
  allowChosenIds: z.boolean(),
  moderatorGrant: z.boolean(),
  label: z.string().max(1024).nullable(),
  createdAt: z.string().max(64),
});

/**
 * API keys across nodes: each node writes its keys into the hash `<prefix>apikeys` with HSETNX
 * (the first node to publish a key makes its secret the cluster's) and adopts the keys it lacks,
 * or whose secret differs, from there (ApiKeyStore.adopt). Run at start and at every heartbeat,
 * so a key created with the CLI on one node is usable on all within a heartbeat, and tokens signed
 * with its secret verify everywhere. Enabling, disabling and origins stay per node: run those CLI
 * commands on every node. Redis then holds the key secrets: keep it private (docs/operations.md).
 */
export class ApiKeySync {
  readonly #bus: ClusterBus;
  readonly #store: ApiKeyStore;
  readonly #log: Logger;

  constructor(bus: ClusterBus, store: ApiKeyStore, log: Logger) {
    this.#bus = bus;
    this.#store = store;
    this.#log = log;
  }

  async sync(): Promise<void> {
    const hash = this.#bus.key('apikeys');
    const local = this.#store.list();
    if (local.length > 0) {
      const pipeline = this.#bus.redis.pipeline();
      for (const key of local) pipeline.hsetnx(hash, key.key, JSON.stringify(key));
      await pipeline.exec();
    }
    const shared = await this.#bus.redis.hgetall(hash);
    for (const [name, text] of Object.entries(shared)) {
      let parsed: ApiKey;
      try {
        parsed = SharedKey.parse(JSON.parse(text));
      } catch {
        this.#log.warn({ key: name }, 'invalid shared API key in Redis: ignored');
        continue;
      }
      if (this.#store.adopt(parsed)) this.#log.info({ key: parsed.key }, 'API key taken from the cluster');
    }
  }
}
