import { Defaults, type ClientMessage, type RegisterResult } from '@parley/protocol';
import type { AnswerOf } from '../util/messages.js';
import { log } from '../util/Logger.js';
import { ConnectError } from './ConnectError.js';
import type { IceServerBook } from './IceServerBook.js';
import type { Membership } from './Membership.js';
import { RequestError } from './RequestError.js';
import type { RequestTracker } from './RequestTracker.js';
import type { SignalClient } from './SignalClient.js';
import type { EngineOptions, MessageBody } from './types.js';

/** Timeout of a handshake request, in ms. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * The handshake path of an Engine: registration and resume on a fresh socket, and the identity
 * they establish (user id, id ticket, resume token, heartbeat period) for the next handshake.
 */
export class Registrar {
  /** Our user id: the configured one until the server assigns one. */
  userId: string | undefined;
  /** The server's proof that it assigned {@link userId} to us (anonymous users): sent back to keep that id. */
  #idTicket: string | undefined;
  /** Empty until registered, and after the server refused a resume. */
  resumeToken = '';
  heartbeatMs: number = Defaults.heartbeatMs;
  readonly #options: EngineOptions;
  readonly #tracker: RequestTracker;
  readonly #membership: Membership;
  readonly #ice: IceServerBook;

  constructor(options: EngineOptions, tracker: RequestTracker, membership: Membership, ice: IceServerBook) {
    this.#options = options;
    this.#tracker = tracker;
    this.#membership = membership;
    this.#ice = ice;
    this.userId = options.userId;
  }

  /**
   * Registers on `socket` with the current membership and user data.
   * @throws ConnectError (`refused` or `network`).
   */
  async register(socket: SignalClient): Promise<RegisterResult> {
    const { apiKey, token } = this.#options;
    let data: RegisterResult | undefined;
    try {
      data = await this.#handshake(socket, {
        type: 'register',
        apiKey,
        ...(this.userId !== undefined ? { userId: this.userId } : {}),
        ...(token !== undefined ? { token } : {}),
        ...(this.#idTicket !== undefined && this.userId !== undefined ? { idTicket: this.#idTicket } : {}),
        groups: this.#membership.groups,
        subscribeTo: this.#membership.subscriptions,
        userData: this.#membership.userData,
      });
    } catch (err) {
      if (err instanceof RequestError && err.kind === 'answer') throw new ConnectError('refused', err.message);
      if (err instanceof RequestError && err.kind === 'invalid') throw new ConnectError('refused', 'invalid registration answer');
      throw new ConnectError('network', errorText(err));
    }
    // The answer was checked against RegisterResult; only a request settled without one is empty.
    if (data === undefined) throw new ConnectError('refused', 'invalid registration answer');
    this.userId = data.userId;
    this.#idTicket = data.idTicket;
    this.resumeToken = data.resumeToken;
    this.heartbeatMs = data.heartbeatMs;
    this.#ice.update(data.iceServers, data.iceServersExpireAt);
    return data;
  }

  /** Resume handshake; false when the server refused it (session expired). */
  async resume(socket: SignalClient, lastSeq: number): Promise<boolean> {
    try {
      const data = await this.#handshake(socket, { type: 'resume', resumeToken: this.resumeToken, lastSeq });
      if (data === undefined) throw new ConnectError('network', 'invalid resume answer');
      this.resumeToken = data.resumeToken;
      // Older servers send none on resume: keep what we have then.
      if (data.iceServers !== undefined) this.#ice.update(data.iceServers, data.iceServersExpireAt);
      return true;
    } catch (err) {
      if (err instanceof RequestError && err.kind === 'invalid') throw new ConnectError('network', 'invalid resume answer');
      if (!(err instanceof RequestError && err.kind === 'answer')) throw err;
      log.info(`resume refused (${err.message}); registering again`);
      this.resumeToken = '';
      return false;
    }
  }

  /** Sends a handshake request on `socket`; volatile, so a dying socket fails it at once. */
  #handshake<B extends MessageBody>(socket: SignalClient, body: B): Promise<AnswerOf<B['type']>> {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the rule is wrong here: without it the tracker's answer widens to every request type
    const message = { ...body, id: this.#tracker.nextId() } as ClientMessage & { type: B['type'] };
    const answer = this.#tracker.track(message, { timeoutMs: HANDSHAKE_TIMEOUT_MS, volatile: true });
    socket.send(message);
    return answer;
  }
}

/** The message of an error of any kind. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
