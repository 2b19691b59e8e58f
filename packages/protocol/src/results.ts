import * as z from 'zod';
import type { ClientMessage } from './client.js';
import { ConvJoinResult, ConvMessageResult, ConvPublishResult, ConvRelayResult, MediaAnswerResult } from './conversation.js';
import { RecordingResult } from './recording.js';
import { HistoryResult } from './history.js';
import { CloudListResult, CloudPushTicketResult } from './cloudMedia.js';
import { ContactSendResult, RegisterResult, ResumeResult } from './server.js';
import { IceServersResult } from './ice.js';

/*
 * The request/answer contract: for every request type, the schema of the `data` of its
 * successful answer. The server's handlers are typed from it (a handler returning another shape
 * fails the type-check) and the SDK parses each answer with the schema of its request's type.
 */

/** Answer without data: `{type:"answer", re, ok:true}`. */
const NoData = z.undefined();

/** Result schema of each request type; `satisfies` makes a request type without a result a compile error. */
export const RequestResults = {
  register: RegisterResult,
  resume: ResumeResult,
  unregister: NoData,
  ping: NoData,
  'group.join': NoData,
  'group.leave': NoData,
  'group.subscribe': NoData,
  'group.unsubscribe': NoData,
  'userData.set': NoData,
  'contact.send': ContactSendResult,
  'peer.signal': NoData,
  'conv.join': ConvJoinResult,
  'conv.leave': NoData,
  'conv.joinGroupChat': NoData,
  'conv.leaveGroupChat': NoData,
  'conv.publish': ConvPublishResult,
  'conv.unpublish': NoData,
  'conv.updateStream': NoData,
  'conv.subscribe': NoData,
  'conv.unsubscribe': NoData,
  'conv.updateSubscription': NoData,
  'media.publisherOffer': MediaAnswerResult,
  'media.subscriberAnswer': NoData,
  'media.candidate': NoData,
  'mesh.signal': NoData,
  'conv.qualityReport': NoData,
  'conv.message': ConvMessageResult,
  'conv.data': NoData,
  'conv.customEvent': NoData,
  'conv.relay': ConvRelayResult,
  'conv.relayAnswer': NoData,
  'conv.constraintsChanged': NoData,
  'conv.allowEntry': NoData,
  'conv.denyEntry': NoData,
  'conv.eject': NoData,
  'conv.startRecording': RecordingResult,
  'conv.stopRecording': RecordingResult,
  'conv.audioAmplitude': NoData,
  'conv.history': HistoryResult,
  'contact.history': HistoryResult,
  'cloud.pushTicket': CloudPushTicketResult,
  'cloud.list': CloudListResult,
  'ice.servers': IceServersResult,
} as const satisfies { readonly [T in ClientMessage['type']]: z.ZodType };

/** Every request type (handshake and session). */
export type RequestType = ClientMessage['type'];
/** The request message of type `T`. */
export type RequestOf<T extends RequestType> = Extract<ClientMessage, { type: T }>;
/** The data of a successful answer to a request of type `T` (`undefined` for none). */
export type ResultOf<T extends RequestType> = z.infer<(typeof RequestResults)[T]>;

/** The result schema of `type`; undefined for a type that is not a request. */
export function resultSchemaOf(type: string): z.ZodType | undefined {
  return Object.hasOwn(RequestResults, type) ? RequestResults[type as RequestType] : undefined;
}
