/**
 * The library's public API: the six components, their arguments and `Host`. Everything else
 * (renderers, scripts, checks) is internal and may change without notice.
 */
export type { Host } from "./remote/host";
export type {
  BlockDevice,
  ClusterMembership,
  ExportEndpoint,
  ExportProtocol,
  ReplicatedDevice,
  ServedExport,
} from "./core/parts";
export { LvmVolume } from "./lvm/lvm-volume";
export type { LvmVolumeArgs } from "./lvm/lvm-volume";
export { DrbdResource } from "./drbd/drbd-resource";
export type { DrbdResourceArgs, DrbdPeerArgs, DrbdSplitBrainArgs, DrbdVersion } from "./drbd/drbd-resource";
export type { SplitBrainRecovery } from "./drbd/scripts";
export { RhcsCluster } from "./cluster/rhcs-cluster";
export type { RhcsClusterArgs, FenceDeviceArgs, ClusterStack } from "./cluster/rhcs-cluster";
export { HeartbeatPair } from "./heartbeat/heartbeat-pair";
export type { HeartbeatPairArgs, HeartbeatFlavor } from "./heartbeat/heartbeat-pair";
export { GnbdExport } from "./export/gnbd-export";
export type { GnbdExportArgs } from "./export/gnbd-export";
export { Ocfs2Client } from "./ocfs2/ocfs2-client";
export type { Ocfs2ClientArgs } from "./ocfs2/ocfs2-client";
