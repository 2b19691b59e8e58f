import {
  ContactSendRequest,
  ConversationRequests,
  GroupJoinRequest,
  GroupLeaveRequest,
  GroupSubscribeRequest,
  GroupUnsubscribeRequest,
  PingRequest,
  RegisterRequest,
  ResumeRequest,
  type SessionRequest,
  UnregisterRequest,
  UserDataSetRequest,
} from '@parley/protocol';
import type { z } from 'zod';

/*
 * Schemas by `type`. Validating against the one schema of the announced type gives precise
 * messages ("group: Too small…") where a union would only say "Invalid input".
 */

/** Requests accepted once a session is attached. */
export const SESSION_SCHEMAS: ReadonlyMap<string, z.ZodType<SessionRequest>> = new Map<string, z.ZodType<SessionRequest>>([
  ['ping', PingRequest],
  ['unregister', UnregisterRequest],
  ['group.join', GroupJoinRequest],
  ['group.leave', GroupLeaveRequest],
  ['group.subscribe', GroupSubscribeRequest],
  ['group.unsubscribe', GroupUnsubscribeRequest],
  ['userData.set', UserDataSetRequest],
  ['contact.send', ContactSendRequest],
  ...ConversationRequests.map((schema): [string, z.ZodType<SessionRequest>] => [schema.shape.type.value, schema]),
]);

/** The two handshake requests. */
export const HANDSHAKE_SCHEMAS = { register: RegisterRequest, resume: ResumeRequest } as const;
