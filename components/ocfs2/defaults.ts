import { clusterDefaults } from "../cluster/defaults";
import { exportDefaults } from "../export/defaults";

/**
 * Every default of Ocfs2Client, written once.
 * @internal
 */
export const ocfs2Defaults = {
  protocol: exportDefaults.protocol,
  port: exportDefaults.port,
  /** The o2cb cluster takes the cluster manager's name. */
  clusterName: clusterDefaults.clusterName,
  o2cbPort: 7777,
  mountPoint: "/srv/xen",
  mountOptions: "_netdev,noatime",
  format: false,
  label: "xenstore",
  heartbeatThreshold: 31,
  /** o2cb's network idle timeout, in ms. */
  idleTimeoutMs: 30000,
  /** Seconds the import waits for the export, and the mount for the format. */
  connectTimeout: 300,
  formatTimeout: 600,
} as const;
