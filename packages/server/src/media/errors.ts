import { ErrorCode, ParleyError } from '@parley/protocol';

/** A session description that cannot be parsed or has nothing the SFU can forward (code 9). */
export function badSdp(message: string): ParleyError {
  return new ParleyError(ErrorCode.BAD_PARAMETER, `invalid SDP: ${message}`);
}

/** A call on an object that is already closed (code 16). */
export function closedError(what: string): ParleyError {
  return new ParleyError(ErrorCode.WRONG_STATE, `${what} is closed`);
}

/** A call in the wrong negotiation state, e.g. an answer with no offer outstanding (code 16). */
export function wrongState(message: string): ParleyError {
  return new ParleyError(ErrorCode.WRONG_STATE, message);
}

/** A bad argument from the signalling layer, e.g. an unknown track id (code 9). */
export function badParameter(message: string): ParleyError {
  return new ParleyError(ErrorCode.BAD_PARAMETER, message);
}

/**
 * The server has no room for another PeerConnection (ports or file descriptors). apiRTC's own
 * refusal for this case is code 0 with "not enough bandwidth" (publish / subscribeToMedia).
 */
export function noCapacity(detail: string): ParleyError {
  return new ParleyError(ErrorCode.OTHER, `not enough bandwidth: ${detail}`);
}
