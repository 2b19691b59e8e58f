import type { Logger } from '../logging/logger.js';
import type { Group } from '../presence/Group.js';
import type { PresenceObserver, PresenceService } from '../presence/PresenceService.js';
import type { SessionRegistry } from '../session/SessionRegistry.js';
import { UserSession } from '../session/UserSession.js';
import type { ClusterBus } from './ClusterBus.js';
import type { ClusterMessage, MemberState } from './ClusterMessage.js';

/** Stand-ins never receive anything: the smallest buffers UserSession accepts. */
const STAND_IN_LIMITS = { replayEvents: 1, replayChars: 1, answerCache: 1 };

/**
 * Presence groups across nodes. Every node keeps, in its own PresenceService, a stand-in session
 * for each user of another node that is a member of a presence group, and publishes its own
 * users' joins, leaves and user-data changes; the batcher then serves local watchers from the
 * local groups exactly as on a single node (same events, same batching).
 *
 * A node that starts asks the others for their members (`hello` → `state`); a node that dies
 * (NodeRegistry) or stops (`bye`) has its stand-ins removed, which local watchers see as leaves.
 * Each node's mirror is its own: nothing about presence is stored in Redis, so nothing there
 * goes stale when a node dies.
 */
export class PresenceMirror implements PresenceObserver {
  readonly #bus: ClusterBus;
  readonly #presence: PresenceService;
  readonly #registry: SessionRegistry;
  readonly #log: Logger;
  /** Stand-ins by node, then by `apiKey \0 userId`. */
  readonly #nodes = new Map<string, Map<string, UserSession>>();

  constructor(bus: ClusterBus, presence: PresenceService, registry: SessionRegistry, log: Logger) {
    this.#bus = bus;
    this.#presence = presence;
    this.#registry = registry;
    this.#log = log;
  }

  /** Number of stand-ins (users of other nodes present in this node's groups). */
  get remoteMembers(): number {
    let n = 0;
    for (const members of this.#nodes.values()) n += members.size;
    return n;
  }

  /** Starts reporting local changes and asks the other nodes for their members. */
  start(): void {
    this.#presence.observe(this);
    this.#bus.broadcast({ t: 'hello', node: this.#bus.nodeId });
  }

  joined(session: UserSession, group: Group): void {
    this.#bus.broadcast({ t: 'join', node: this.#bus.nodeId, apiKey: session.apiKey, userId: session.userId, contact: session.contactJson, group: group.name });
  }

  left(session: UserSession, group: Group): void {
    this.#bus.broadcast({ t: 'leave', node: this.#bus.nodeId, apiKey: session.apiKey, userId: session.userId, group: group.name });
  }

  userDataChanged(session: UserSession): void {
    this.#bus.broadcast({ t: 'userData', node: this.#bus.nodeId, apiKey: session.apiKey, userId: session.userId, contact: session.contactJson });
  }

  /** Applies a presence message of another node; other messages are ignored. */
  handle(message: ClusterMessage): void {
    switch (message.t) {
      case 'join': {
        const member = this.#standIn(message.node, message.apiKey, message.userId, message.contact);
        this.#presence.joinRemote(member, message.group);
        break;
      }
      case 'leave': {
        const member = this.#nodes.get(message.node)?.get(memberKey(message.apiKey, message.userId));
        if (!member) return;
        this.#presence.leave(member, message.group);
        if (member.joined?.size === 0) this.#drop(message.node, member);
        break;
      }
      case 'userData': {
        const member = this.#nodes.get(message.node)?.get(memberKey(message.apiKey, message.userId));
        if (member) this.#setContact(member, message.contact);
        break;
      }
      case 'hello':
        this.#bus.send(message.node, { t: 'state', node: this.#bus.nodeId, members: this.#localMembers() });
        break;
      case 'state':
        this.#applyState(message.node, message.members);
        break;
      case 'bye':
        this.nodeGone(message.node);
        break;
      default:
        break;
    }
  }

  /** Node `nodeId` died or stopped: its users leave every group here. */
  nodeGone(nodeId: string): void {
    const members = this.#nodes.get(nodeId);
    if (!members) return;
    this.#nodes.delete(nodeId);
    for (const member of members.values()) this.#presence.leaveAll(member);
    this.#log.info({ node: nodeId, members: members.size }, 'users of a departed node left their groups');
  }

  /** Removes every stand-in (shutdown); local watchers are being disconnected anyway. */
  close(): void {
    for (const members of this.#nodes.values()) for (const member of members.values()) this.#presence.leaveAll(member);
    this.#nodes.clear();
  }

  /** The members of this node's presence groups, for a `state` answer. */
  #localMembers(): MemberState[] {
    const out: MemberState[] = [];
    for (const session of this.#registry.values()) {
      if (!session.joined) continue;
      const groups: string[] = [];
      for (const group of session.joined) if (group.namespace === 'group') groups.push(group.name);
      if (groups.length > 0) out.push({ apiKey: session.apiKey, userId: session.userId, contact: session.contactJson, groups });
    }
    return out;
  }

  /** Replaces what is known of `nodeId`'s members by `members` (its full list). */
  #applyState(nodeId: string, members: MemberState[]): void {
    const listed = new Set<string>();
    for (const state of members) {
      listed.add(memberKey(state.apiKey, state.userId));
      const member = this.#standIn(nodeId, state.apiKey, state.userId, state.contact);
      const wanted = new Set(state.groups);
      for (const group of [...(member.joined ?? [])]) if (!wanted.has(group.name)) this.#presence.leave(member, group.name);
      for (const name of wanted) this.#presence.joinRemote(member, name);
    }
    const known = this.#nodes.get(nodeId);
    if (known) {
      for (const [key, member] of [...known]) {
        if (listed.has(key)) continue;
        this.#presence.leaveAll(member);
        known.delete(key);
      }
    }
  }

  #standIn(nodeId: string, apiKey: string, userId: string, contact: string): UserSession {
    let members = this.#nodes.get(nodeId);
    if (!members) {
      members = new Map();
      this.#nodes.set(nodeId, members);
    }
    const key = memberKey(apiKey, userId);
    let member = members.get(key);
    if (!member) {
      // `identified` and the resume token are never read for a stand-in: its contact JSON carries what others see.
      member = new UserSession({ apiKey, userId, identified: false, resumeToken: '', contactJson: contact, limits: STAND_IN_LIMITS });
      members.set(key, member);
    } else if (member.contactJson !== contact) {
      this.#setContact(member, contact);
    }
    return member;
  }

  #setContact(member: UserSession, contact: string): void {
    member.setContactJson(contact);
    this.#presence.userDataChanged(member);
  }

  #drop(nodeId: string, member: UserSession): void {
    const members = this.#nodes.get(nodeId);
    members?.delete(memberKey(member.apiKey, member.userId));
    if (members?.size === 0) this.#nodes.delete(nodeId);
  }
}

function memberKey(apiKey: string, userId: string): string {
  return apiKey + '\0' + userId;
}
