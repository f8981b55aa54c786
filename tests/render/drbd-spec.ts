/** The seed's DRBD resource as a spec, for tests that render it directly. */
import { DrbdSpec } from "../../components/drbd/render";

export function seedDrbdSpec(version: DrbdSpec["version"], disk: string): DrbdSpec {
  const peer = (name: string, n: number) => ({
    name,
    device: "/dev/drbd0",
    disk,
    address: `10.0.0.${n}`,
    port: 7788,
  });
  return {
    resource: "cluster",
    version,
    fencing: "dont-care",
    protocol: "C",
    degrWfcTimeout: 120,
    onIoError: "detach",
    resyncRate: "5M",
    splitBrain: {
      afterSb0Pri: "discard-zero-changes",
      afterSb1Pri: "discard-secondary",
      afterSb2Pri: "disconnect",
    },
    sharedSecret: "s3cret",
    peers: [peer("xenamo4", 4), peer("xenamo5", 5)],
  };
}
