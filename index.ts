/**
 * The program `pulumi up` runs: reads the stack config, builds the storage backend on the
 * stack's hosts and exports where the clients find it. The library itself is
 * `components/` (and the composition in `stacks/`).
 */
import { XenStorageCluster, clusterArgsFromConfig } from "./stacks";

const cluster = new XenStorageCluster("xenamo", clusterArgsFromConfig());

export const virtualIp = cluster.heartbeat.virtualIp;
export const preferredNode = cluster.heartbeat.preferredNode;
export const exportName = cluster.export.exportName;
export const exportProtocol = cluster.export.protocol;
export const drbdResource = cluster.drbd.resourceName;
export const drbdDevice = cluster.drbd.device;
/** What to run on the storage hosts if DRBD stops at a split brain (see the README, "What happens when a host fails"). */
export const splitBrainRecovery = cluster.drbd.splitBrainRecovery;
export const clusterStack = cluster.cluster.stack;
export const fencingEnabled = cluster.cluster.fencingEnabled;
export const mounts = Object.fromEntries(
  cluster.clients.map((c, i) => [cluster.clientNames[i], c.mountPoint]),
);
