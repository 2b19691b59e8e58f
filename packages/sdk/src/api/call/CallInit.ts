import type { PeerCallType } from '@parley/protocol';
import type { QualitySettings } from '../../quality/QualitySettings.js';
import type { Stream } from '../Stream.js';
import type { PeerPort } from './PeerPort.js';

/** What a Call needs from the Session that makes it (internal). */
export interface CallInit {
  port: PeerPort;
  role: 'caller' | 'callee';
  callType: PeerCallType;
  /**
   * The local stream of the call: the app's, or acquired by the SDK (`acquired` true: the call
   * emits `localStreamAvailable` and releases it at the end). Null for a receive-only side.
   */
  localStream: () => Promise<{ stream: Stream | null; acquired: boolean }>;
  /**
   * Callee side: whether the caller sends media (its call type is not `none`). Then the callee
   * waits for the caller's offer before adding its own tracks, so the two sides never offer at
   * the same time; otherwise nobody would offer first, and the callee does.
   */
  remoteSends?: boolean;
  /** `userAgent.enableCallStatsMonitoring`, which the call's `statsUpdate` follows. */
  quality?: QualitySettings;
  /** Caller side: how long the callee's invitation rings (sent in the invite). */
  expiresInMs?: number;
  /** The call ended: the Session forgets it. */
  ended: () => void;
}

/** Hangup reasons of apiRTC (docs/sdk-reference.md#call-and-invitations). */
export const HANGUP_FROM_CALLER = 'Hangup_From_Caller';
export const HANGUP_FROM_CALLEE = 'Hangup_From_Callee';
export const USER_REFUSED_CALL = 'User_Refused_Call';
export const USER_BUSY = 'User_Busy';
export const USER_NOT_FOUND = 'User_Not_Found';
/** Parley: the callee's invitation rang out (its expiry passed) without an answer. */
export const NO_ANSWER = 'No_Answer';
