/**
 * Every default of DrbdResource, written once.
 * @internal
 */
export const drbdDefaults = {
  resourceName: "cluster",
  protocol: "C",
  version: "8.4",
  port: 7788,
  device: "/dev/drbd0",
  degrWfcTimeout: 120,
  onIoError: "detach",
  resyncRate: "5M",
  fencing: "dont-care",
  splitBrain: {
    afterSb0Pri: "discard-zero-changes",
    afterSb1Pri: "consensus",
    afterSb2Pri: "disconnect",
  },
  sharedSecretLength: 32,
  allowDataLoss: false,
  /** Seconds the initial primary waits for its peer. */
  connectTimeout: 300,
} as const;
