import { z } from 'zod';

/**
 * Messages the nodes of a cluster exchange over Redis pub/sub (docs/operations.md § Cluster).
 * They come from other Parley nodes, not from clients, but are validated all the same: a node of
 * another version, or anything else publishing on the channels, must not corrupt this node's state.
 */
const NodeId = z.string().min(1).max(64);
const ApiKey = z.string().min(1).max(256);
const UserId = z.string().min(1).max(256);
const GroupName = z.string().min(1).max(256);
/** A user as others see it, `{"id":…,"userData":…}`, kept as the JSON text the presence events splice in. */
const ContactJson = z
  .string()
  .min(2)
  .max(64 * 1024);
/** A session's id between its node and a conversation's node (random, never the resume token). */
const ProxyId = z.string().min(8).max(64);

/** A member of this node's presence groups, as sent to a node that asks for the state. */
const MemberState = z.strictObject({ apiKey: ApiKey, userId: UserId, contact: ContactJson, groups: z.array(GroupName).max(10_000) });
export type MemberState = z.infer<typeof MemberState>;

export const ClusterMessage = z.discriminatedUnion('t', [
  /** Broadcast: a user of `node` became a member of presence group `group`. */
  z.strictObject({ t: z.literal('join'), node: NodeId, apiKey: ApiKey, userId: UserId, contact: ContactJson, group: GroupName }),
  /** Broadcast: a user of `node` stopped being a member of `group`. */
  z.strictObject({ t: z.literal('leave'), node: NodeId, apiKey: ApiKey, userId: UserId, group: GroupName }),
  /** Broadcast: a user of `node` published new user data. */
  z.strictObject({ t: z.literal('userData'), node: NodeId, apiKey: ApiKey, userId: UserId, contact: ContactJson }),
  /** Broadcast: `node` started and asks every node for its presence members (answered by `state`). */
  z.strictObject({ t: z.literal('hello'), node: NodeId }),
  /** Direct: the presence members of `node`, answering `hello`. */
  z.strictObject({ t: z.literal('state'), node: NodeId, members: z.array(MemberState).max(1_000_000) }),
  /** Broadcast: `node` stops (graceful shutdown); the others drop its users at once. */
  z.strictObject({ t: z.literal('bye'), node: NodeId }),
  /** Direct: deliver `event` (a server event without seq) to the session of `userId`. */
  z.strictObject({ t: z.literal('deliver'), node: NodeId, apiKey: ApiKey, userId: UserId, event: z.looseObject({ type: z.string().min(1) }) }),
  /** Direct: an identified user registered on `node`; the receiver ends its older session (4001). */
  z.strictObject({ t: z.literal('replace'), node: NodeId, apiKey: ApiKey, userId: UserId }),
  /**
   * Direct, to the node owning a conversation: run `request` (a client request, validated again by
   * the receiver) for the user of session `pid` of `node` (ConversationProxy).
   */
  z.strictObject({
    t: z.literal('request'),
    node: NodeId,
    rid: z.number().int().nonnegative(),
    pid: ProxyId,
    apiKey: ApiKey,
    userId: UserId,
    contact: ContactJson,
    identified: z.boolean(),
    moderatorGrant: z.union([z.boolean(), z.array(z.string().max(256)).max(1000)]),
    request: z.looseObject({ type: z.string().min(1) }),
  }),
  /** Direct: the answer to `request` number `rid`. */
  z.strictObject({
    t: z.literal('response'),
    node: NodeId,
    rid: z.number().int().nonnegative(),
    ok: z.boolean(),
    data: z.unknown().optional(),
    code: z.number().int().optional(),
    message: z.string().max(4096).optional(),
  }),
  /** Direct, from a conversation's node: an event for proxied session `pid`, as its tail (see ReplayBuffer). */
  z.strictObject({
    t: z.literal('tail'),
    node: NodeId,
    pid: ProxyId,
    tail: z
      .string()
      .min(1)
      .max(16 * 1024 * 1024),
  }),
  /** Direct: proxied session `pid` of `node` ended; its stand-in leaves every conversation. */
  z.strictObject({ t: z.literal('ended'), node: NodeId, pid: ProxyId }),
]);
export type ClusterMessage = z.infer<typeof ClusterMessage>;
