import { ReceivedInvitation } from './ReceivedInvitation.js';

/** Enterprise (Conference) join request delivered to moderators (P2). */
export class ReceivedConversationJoinRequest extends ReceivedInvitation {
  /** Event names accepted by `on()`. */
  static override getAvailableEvents(): string[] {
    return ['statusChange'];
  }

  /** Target conference. */
  getConversation(): unknown {
    return this.conversation;
  }
}
