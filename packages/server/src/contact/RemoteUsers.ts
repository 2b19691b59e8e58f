import type { UnsequencedEvent } from '@parley/protocol';

/**
 * Users registered on other nodes of a cluster (cluster/ClusterNode). ContactRelay and PeerRelay
 * fall back on it when the target is not on this node; without a cluster there is none.
 */
export interface RemoteUsers {
  /** The node holding `userId` of `apiKey`, or null when no other node does. */
  locate(apiKey: string, userId: string): Promise<string | null>;
  /** Sends `event` to `userId` of `apiKey` on node `nodeId` (dropped there if the user left meanwhile). */
  deliverTo(nodeId: string, apiKey: string, userId: string, event: UnsequencedEvent): void;
}
