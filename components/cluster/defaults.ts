/**
 * Every default of RhcsCluster, written once.
 * @internal
 */
export const clusterDefaults = {
  clusterName: "xencluster",
  stack: "pacemaker",
  noQuorumPolicy: "stop",
  /** With watchdog fencing: a node that loses quorum resets itself. */
  noQuorumPolicyWithWatchdog: "suicide",
  tokenMs: 3000,
  configVersion: 1,
  /** corosync's key: letters and digits (corosync takes 128 to 4096 raw bytes). */
  corosyncKeyLength: 256,
  watchdogDevice: "/dev/watchdog",
  /** sbd's watchdog timeout in seconds (`SBD_WATCHDOG_TIMEOUT`); `stonith-watchdog-timeout` is twice it. */
  watchdogTimeout: 5,
  /** Seconds the properties step waits for pacemaker to elect a controller. */
  electionTimeout: 180,
} as const;
