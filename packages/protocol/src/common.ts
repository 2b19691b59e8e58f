import * as z from 'zod';
import { bounded } from './bounded.js';
import { Bounds } from './limits.js';

/** Request correlation id chosen by the client; echoed in the answer as `re`. */
export const RequestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const UserId = z.string().min(1).max(Bounds.userId);
export const GroupName = z.string().min(1).max(Bounds.groupName);
export const GroupList = z.array(GroupName).max(Bounds.groupsPerRequest);

/** Free-form JSON object published by a user (apiRTC UserData). */
export const UserDataBag = z.record(z.string(), z.unknown());
export type UserDataBag = z.infer<typeof UserDataBag>;
/**
 * User data as a client sends it, bounded (see `bounded`). Events the server sends carry the
 * unbounded {@link UserDataBag}: their content was bounded on the way in, and checking it again
 * would cost every SDK a serialization per contact of every presence event.
 */
export const UserDataInput = bounded(UserDataBag, Bounds.userData);

/** What other users learn about a contact through presence. */
export const ContactInfo = z.object({
  id: UserId,
  userData: UserDataBag,
  /**
   * Parley extension: true when the user registered with a token (identified), absent for
   * anonymous users. Lets apps tell "alice" the identified user from an anonymous one.
   */
  authenticated: z.boolean().optional(),
});
export type ContactInfo = z.infer<typeof ContactInfo>;
