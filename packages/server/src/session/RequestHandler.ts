import type { RequestOf, ResultOf, SessionRequest } from '@parley/protocol';
import type { Reply } from './Reply.js';
import type { UserSession } from './UserSession.js';

/** Types of the requests an established session may send. */
export type SessionRequestType = SessionRequest['type'];

/**
 * What a handler gives back for a request of type `T`: the answer data, a {@link Reply} (data
 * plus events that must follow the answer), or a promise of either (answers that wait for a
 * peer, or for the node of a conversation in a cluster). Typed from the protocol's result map, so a handler answering another shape fails the
 * type-check.
 */
export type Handled<T extends SessionRequestType> = Answered<T> | Reply<ResultOf<T>> | Promise<ResultOf<T> | Reply<ResultOf<T>>>;

/** Answer data a handler returns: nothing (`void`) for a request answered without data. */
type Answered<T extends SessionRequestType> = [ResultOf<T>] extends [undefined] ? void : ResultOf<T>;

/** Runs one request of type `T`; throws ParleyError to answer with an error. */
export type RequestHandler<T extends SessionRequestType> = (session: UserSession, request: RequestOf<T>) => Handled<T>;

/** One handler per request type of `K`: what each service exposes and the router composes. */
export type HandlerTable<K extends SessionRequestType> = { readonly [T in K]: RequestHandler<T> };
