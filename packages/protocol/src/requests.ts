import type * as z from 'zod';
import {
  ContactSendRequest,
  GroupJoinRequest,
  GroupLeaveRequest,
  GroupSubscribeRequest,
  GroupUnsubscribeRequest,
  type HandshakeRequest,
  PingRequest,
  RegisterRequest,
  ResumeRequest,
  type SessionRequest,
  UnregisterRequest,
  UserDataSetRequest,
} from './client.js';
import {
  ConvAudioAmplitudeRequest,
  ConvConstraintsChangedRequest,
  ConvCustomEventRequest,
  ConvDataRequest,
  ConvJoinRequest,
  ConvLeaveRequest,
  ConvJoinGroupChatRequest,
  ConvLeaveGroupChatRequest,
  ConvMessageRequest,
  ConvPublishRequest,
  ConvQualityReportRequest,
  ConvRelayAnswerRequest,
  ConvRelayRequest,
  ConvSubscribeRequest,
  ConvUnpublishRequest,
  ConvUnsubscribeRequest,
  ConvUpdateStreamRequest,
  ConvUpdateSubscriptionRequest,
  MediaCandidateRequest,
  MediaPublisherOfferRequest,
  MediaSubscriberAnswerRequest,
  MeshSignalRequest,
} from './conversation.js';
import { ErrorCode, type WireError } from './errors.js';
import { ConvAllowEntryRequest, ConvDenyEntryRequest, ConvEjectRequest } from './moderation.js';
import { ConvStartRecordingRequest, ConvStopRecordingRequest } from './recording.js';
import { ContactHistoryRequest, ConvHistoryRequest } from './history.js';
import { CloudListRequest, CloudPushTicketRequest } from './cloudMedia.js';
import { PeerSignalRequest } from './peer.js';
import { IceServersRequest } from './ice.js';
import { explainIssues } from './explain.js';
import type { RequestOf, RequestType } from './results.js';

/*
 * Validation of client frames by announced `type`: checking against the one schema of that type
 * gives precise messages ("group: Too small…") where the union would only say "Invalid input".
 */

type RequestSchemaMap = { readonly [T in RequestType]: z.ZodType<RequestOf<T>> };

/** The request schema of each request type; `satisfies` makes a missing or mistyped entry a compile error. */
export const RequestSchemas = {
  register: RegisterRequest,
  resume: ResumeRequest,
  unregister: UnregisterRequest,
  ping: PingRequest,
  'group.join': GroupJoinRequest,
  'group.leave': GroupLeaveRequest,
  'group.subscribe': GroupSubscribeRequest,
  'group.unsubscribe': GroupUnsubscribeRequest,
  'userData.set': UserDataSetRequest,
  'contact.send': ContactSendRequest,
  'peer.signal': PeerSignalRequest,
  'conv.join': ConvJoinRequest,
  'conv.leave': ConvLeaveRequest,
  'conv.joinGroupChat': ConvJoinGroupChatRequest,
  'conv.leaveGroupChat': ConvLeaveGroupChatRequest,
  'conv.publish': ConvPublishRequest,
  'conv.unpublish': ConvUnpublishRequest,
  'conv.updateStream': ConvUpdateStreamRequest,
  'conv.subscribe': ConvSubscribeRequest,
  'conv.unsubscribe': ConvUnsubscribeRequest,
  'conv.updateSubscription': ConvUpdateSubscriptionRequest,
  'media.publisherOffer': MediaPublisherOfferRequest,
  'media.subscriberAnswer': MediaSubscriberAnswerRequest,
  'media.candidate': MediaCandidateRequest,
  'mesh.signal': MeshSignalRequest,
  'conv.qualityReport': ConvQualityReportRequest,
  'conv.message': ConvMessageRequest,
  'conv.data': ConvDataRequest,
  'conv.customEvent': ConvCustomEventRequest,
  'conv.relay': ConvRelayRequest,
  'conv.relayAnswer': ConvRelayAnswerRequest,
  'conv.constraintsChanged': ConvConstraintsChangedRequest,
  'conv.allowEntry': ConvAllowEntryRequest,
  'conv.denyEntry': ConvDenyEntryRequest,
  'conv.eject': ConvEjectRequest,
  'conv.startRecording': ConvStartRecordingRequest,
  'conv.stopRecording': ConvStopRecordingRequest,
  'conv.audioAmplitude': ConvAudioAmplitudeRequest,
  'conv.history': ConvHistoryRequest,
  'contact.history': ContactHistoryRequest,
  'cloud.pushTicket': CloudPushTicketRequest,
  'cloud.list': CloudListRequest,
  'ice.servers': IceServersRequest,
} satisfies RequestSchemaMap;

/** Whether `type` names a request (handshake or session). */
export function isRequestType(type: unknown): type is RequestType {
  return typeof type === 'string' && Object.hasOwn(RequestSchemas, type);
}

/** Where a request is valid: before a session exists on the socket, or once one is attached. */
export type RequestScope = 'handshake' | 'session';
type RequestIn<S extends RequestScope> = S extends 'handshake' ? HandshakeRequest : SessionRequest;

/** Outcome of {@link checkRequest}: the validated request, or the error answer the server sends. */
export type RequestCheck<R> = { ok: true; request: R } | { ok: false; error: WireError };

/**
 * Validates a decoded client frame against the schema of its announced type, among the requests
 * of `scope`. Refusals carry code 9 (BAD_PARAMETER): a type unknown in that scope, or the first
 * schema issues in one line. This is what the server answers to an invalid frame.
 */
export function checkRequest<S extends RequestScope>(message: unknown, scope: S): RequestCheck<RequestIn<S>> {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  const handshake = type === 'register' || type === 'resume';
  if (!isRequestType(type) || handshake !== (scope === 'handshake')) {
    return { ok: false, error: { code: ErrorCode.BAD_PARAMETER, message: 'unknown message type' } };
  }
  const parsed = RequestSchemas[type].safeParse(message);
  if (!parsed.success) return { ok: false, error: { code: ErrorCode.BAD_PARAMETER, message: explainIssues(parsed.error) } };
  // The scope test above is what ties the type to the scope; TypeScript cannot follow it.
  return { ok: true, request: parsed.data as RequestIn<S> };
}
