import { rejectNotSupported, throwNotSupported } from '../../util/unsupported.js';
import type { Contact } from '../Contact.js';
import type { SentInvitation } from '../invitations/SentInvitation.js';
import { Observable } from '../Observable.js';
import type { ConversationEvents } from './events.js';

/**
 * The Conversation members Parley does not support yet (docs/sdk-reference.md#members-not-supported-yet):
 * invitations, conversation data and the P2 cloud, whiteboard, pointer and SIP features. They fail with the one "not supported" error
 * or answer the neutral value apiRTC gives when the feature is off, so the {@link Conversation}
 * facade keeps only what works.
 */
export class ConversationStubs extends Observable<ConversationEvents> {
  /** True after a successful joinGroupChat() (the facade implements it). */
  isGroupChatJoined(): boolean {
    return false;
  }

  /** Implemented by the facade (GroupChatMembership). */
  joinGroupChat(): Promise<unknown> {
    return rejectNotSupported('joinGroupChat');
  }

  /** Implemented by the facade (GroupChatMembership). */
  leaveGroupChat(): Promise<unknown> {
    return rejectNotSupported('leaveGroupChat');
  }

  /** Invites a contact. Not supported yet: throws. */
  sendInvitation(_contact: Contact, _opts?: object): SentInvitation | null {
    return throwNotSupported('sendInvitation');
  }

  /** P2 (cloud conferences): not supported. */
  checkAccess(_opts?: object): Promise<object> {
    return rejectNotSupported('checkAccess');
  }

  /** P2: no server-side conversation id. */
  isBound(): boolean {
    return false;
  }

  /** P2 (cloud conferences): not supported. */
  bind(_opts: object): Promise<string> {
    return rejectNotSupported('bind');
  }

  /** P2: null (no server-side id). */
  getCloudConversationId(): string | null {
    return null;
  }

  /** P2: persistent data is not supported. */
  getData(): unknown {
    return undefined;
  }

  /** P2: not supported. */
  setData(_data: unknown): void {
    throwNotSupported('setData');
  }

  /** P2: not supported. */
  updateData(): Promise<void> {
    return rejectNotSupported('updateData');
  }

  /** P2: not supported. */
  pushMedia(_media: string, _opts?: object): Promise<object> {
    return rejectNotSupported('pushMedia');
  }

  /** P2: not supported. */
  sendRawData(_data: object, _opts?: object): void {
    throwNotSupported('sendRawData');
  }

  /** P2: not supported. */
  startComposite(): Promise<void> {
    return rejectNotSupported('startComposite');
  }

  /** P2: not supported. */
  stopComposite(): Promise<void> {
    return rejectNotSupported('stopComposite');
  }

  /** P2: not supported. */
  startNewWhiteboardSession(_canvasId: string, _cursorColor?: string): Promise<void> {
    return rejectNotSupported('startNewWhiteboardSession');
  }

  /** P2: not supported. */
  stopNewWhiteboardSession(): Promise<void> {
    return rejectNotSupported('stopNewWhiteboardSession');
  }

  /** P2: not supported. */
  enablePointerSharing(_enabled: boolean): Promise<string> {
    return rejectNotSupported('enablePointerSharing');
  }

  /** P2: not supported. */
  sendPointerLocation(_source: object, _x: number, _y: number, _data?: object): void {
    throwNotSupported('sendPointerLocation');
  }

  /** P2: not supported. */
  sendJoinRequest(_session: unknown): void {
    throwNotSupported('sendJoinRequest');
  }

  /** P2 (SIP): not supported. */
  callVoIP(_phoneNumber: string): Promise<void> {
    return rejectNotSupported('callVoIP');
  }

  /** P2: null. */
  getInstanceId(): string | null {
    return null;
  }

  /** P2 (declarations only in apiRTC): not supported. */
  startScreensharing(): number {
    throwNotSupported('startScreensharing');
  }

  /** P2 (declarations only in apiRTC): not supported. */
  stopScreensharing(_streamId: number): void {
    throwNotSupported('stopScreensharing');
  }

  /** P2: end-to-end encryption is off. */
  getE2EEStatus(): boolean {
    return false;
  }
}
