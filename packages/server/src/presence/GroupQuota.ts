import { ErrorCode, ParleyError } from '@parley/protocol';
import type { Limits } from '../config/Config.js';
import type { UserSession } from '../session/UserSession.js';
import type { PresenceService } from './PresenceService.js';

/** The limits {@link GroupQuota} enforces. */
export type GroupQuotaLimits = Pick<Limits, 'maxGroupsPerSession' | 'maxSubscriptionsPerSession'>;

/**
 * How many presence groups one session may be in and watch: checked before `group.join`,
 * `group.subscribe` and a `register` with `groups`/`subscribeTo`, never for a group the session
 * already has (repeats stay no-ops). Conversation memberships are presence groups too and count
 * here, but a `conv.join` is bounded by its own limit instead of this one.
 */
export class GroupQuota {
  readonly #presence: PresenceService;
  readonly #limits: GroupQuotaLimits;

  constructor(presence: PresenceService, limits: GroupQuotaLimits) {
    this.#presence = presence;
    this.#limits = limits;
  }

  /** `session` joins `name`. @throws ParleyError 14 when it is in the maximum of groups */
  checkJoin(session: UserSession, name: string): void {
    const joined = session.joined;
    if (!joined || joined.size < this.#limits.maxGroupsPerSession) return;
    const group = this.#presence.group(session.apiKey, name);
    if (group && joined.has(group)) return;
    throw tooMany('joined', this.#limits.maxGroupsPerSession);
  }

  /** `session` subscribes to `name`. @throws ParleyError 14 when it watches the maximum */
  checkSubscribe(session: UserSession, name: string): void {
    const subscribed = session.subscribed;
    if (!subscribed || subscribed.size < this.#limits.maxSubscriptionsPerSession) return;
    const group = this.#presence.group(session.apiKey, name);
    if (group && subscribed.has(group)) return;
    throw tooMany('subscribed', this.#limits.maxSubscriptionsPerSession);
  }

  /** The groups of a `register`. @throws ParleyError 14 when there are more than allowed */
  checkRegister(groups: readonly string[], subscribeTo: readonly string[]): void {
    if (new Set(groups).size > this.#limits.maxGroupsPerSession) throw tooMany('joined', this.#limits.maxGroupsPerSession);
    if (new Set(subscribeTo).size > this.#limits.maxSubscriptionsPerSession) {
      throw tooMany('subscribed', this.#limits.maxSubscriptionsPerSession);
    }
  }
}

function tooMany(what: 'joined' | 'subscribed', max: number): ParleyError {
  return new ParleyError(ErrorCode.NOT_ALLOWED, `too many groups ${what} (max ${max} per session)`);
}
