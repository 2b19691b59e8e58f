import type { HandlerTable } from '../session/RequestHandler.js';
import type { GroupQuota } from './GroupQuota.js';
import type { PresenceService } from './PresenceService.js';

/** Presence group requests a session may send. */
export type PresenceRequestType = 'group.join' | 'group.leave' | 'group.subscribe' | 'group.unsubscribe';

/** Handlers of the presence group requests: quota checked before joining or watching. */
export function presenceHandlers(presence: PresenceService, quota: GroupQuota): HandlerTable<PresenceRequestType> {
  return {
    'group.join': (session, request) => {
      quota.checkJoin(session, request.group);
      presence.join(session, request.group);
    },
    'group.leave': (session, request) => presence.leave(session, request.group),
    'group.subscribe': (session, request) => {
      quota.checkSubscribe(session, request.group);
      presence.subscribe(session, request.group);
    },
    'group.unsubscribe': (session, request) => presence.unsubscribe(session, request.group),
  };
}
