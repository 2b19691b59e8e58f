import type { RequestType, ResultOf, ServerEvent, SessionRequest } from '@parley/protocol';

// Message shapes the SDK's layers pass to each other, derived from the protocol alone so that
// any layer may name them: the media planes build requests and read conversation events without
// depending on the engine that carries them (docs/architecture.md, "Enforced boundaries").

/** `Omit` applied to each member of a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A session request without its id (the engine numbers it). */
export type RequestBody = DistributiveOmit<SessionRequest, 'id'>;

/** Server events that belong to a conversation. */
export type ConversationServerEvent = Extract<ServerEvent, { conversation: string }>;

/**
 * What a request of type `T` resolves with: its result, or `undefined` when the engine settled it
 * without an answer because it became moot (a re-registration replaced the session; see
 * `Engine`).
 */
export type AnswerOf<T extends RequestType> = ResultOf<T> | undefined;

/** The engine's request function, typed by the request it is called with. */
export type RequestFn<O> = <B extends RequestBody>(body: B, options?: O) => Promise<AnswerOf<B['type']>>;
