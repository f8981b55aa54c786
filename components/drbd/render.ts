import { MANAGED_HEADER, lines } from "../core/text";
import { fencePeerHandlerCommand } from "./fence-handler";

/**
 * One side of a DRBD resource.
 * @internal
 */
export interface DrbdPeerSpec {
  /** Node name (`uname -n`). */
  name: string;
  /** DRBD device, e.g. `/dev/drbd0`. */
  device: string;
  /** Backing block device, e.g. `/dev/vg1/cluster`. */
  disk: string;
  /** Replication address on the storage network. */
  address: string;
  port: number;
}

/** @internal */
export interface DrbdSplitBrainSpec {
  afterSb0Pri: string;
  afterSb1Pri: string;
  afterSb2Pri: string;
}

/** DRBD's fencing policy: `dont-care` (none), `resource-only` or `resource-and-stonith`. */
export type DrbdFencing = "dont-care" | "resource-only" | "resource-and-stonith";

/** @internal */
export interface DrbdSpec {
  resource: string;
  /** The fencing policy; other than `dont-care`, Pacemaker's fence-peer handlers of drbd-utils come with it. */
  fencing: DrbdFencing;
  version: "0.7" | "8.4" | "9";
  protocol: "A" | "B" | "C";
  degrWfcTimeout: number;
  onIoError: string;
  resyncRate: string;
  splitBrain: DrbdSplitBrainSpec;
  /** Shared secret for peer authentication (ignored by 0.7, which has none). */
  sharedSecret: string;
  peers: [DrbdPeerSpec, DrbdPeerSpec];
}

/**
 * `/etc/drbd.d/global_common.conf`: no usage reporting (the hosts must never call out).
 * @internal
 */
export function renderDrbdGlobal(): string {
  return lines(`# ${MANAGED_HEADER}`, "global {", "\tusage-count no;", "}", "common {", "}");
}

/**
 * Where the boot-order drop-in of one resource goes.
 * @internal
 */
export function drbdBootDropInPath(resource: string): string {
  return `/etc/systemd/system/drbd.service.d/xenstorage-${resource}.conf`;
}

/**
 * A drop-in for drbd.service: activates the resource's logical volume before DRBD attaches
 * it at boot. Debian's LVM activates volumes from udev through `systemd-run --no-block`, in
 * no order with drbd.service; a DRBD that starts first comes up Diskless and never resyncs.
 * @internal
 */
export function renderDrbdBootDropIn(logicalVolume: string): string {
  return lines(
    `# ${MANAGED_HEADER}`,
    "[Service]",
    `ExecStartPre=/sbin/lvm lvchange --activate y ${logicalVolume}`,
  );
}

/**
 * `/etc/drbd.d/<resource>.res` for DRBD 8.4 or 9.
 * @internal
 */
export function renderDrbd(spec: DrbdSpec): string {
  const on = (peer: DrbdPeerSpec, nodeId: number) => [
    `\ton ${peer.name} {`,
    spec.version === "9" ? `\t\tnode-id ${nodeId};` : undefined,
    `\t\tdevice ${peer.device};`,
    `\t\tdisk ${peer.disk};`,
    `\t\taddress ${peer.address}:${peer.port};`,
    "\t\tmeta-disk internal;",
    "\t}",
  ];
  const nine = spec.version === "9";
  const fenced = spec.fencing !== "dont-care";
  // The policy sits in `disk` for 8.4 and in `net` for 9 (drbd.conf(5) of each); 9 lifts a
  // fence with `unfence-peer`, 8.4 once a resync has brought the peer up to date.
  const fencing = fenced && `\t\tfencing ${spec.fencing};`;
  // The fence handler is adapted per host (fence-handler.ts); unfencing does not read node_state.
  const unfenceHandler = `/usr/lib/drbd/crm-unfence-peer${nine ? ".9" : ""}.sh`;
  return lines(
    `# ${MANAGED_HEADER}`,
    `resource ${spec.resource} {`,
    // DRBD 9 would promote on the first open for writing: only the cluster manager promotes.
    nine && "\toptions {",
    nine && "\t\tauto-promote no;",
    nine && "\t}",
    "\tstartup {",
    `\t\tdegr-wfc-timeout ${spec.degrWfcTimeout};`,
    "\t}",
    fenced && "\thandlers {",
    fenced && `\t\tfence-peer "${fencePeerHandlerCommand(nine)}";`,
    fenced && `\t\t${nine ? "unfence-peer" : "after-resync-target"} "${unfenceHandler}";`,
    fenced && "\t}",
    "\tdisk {",
    `\t\ton-io-error ${spec.onIoError};`,
    `\t\tresync-rate ${spec.resyncRate};`,
    !nine && fencing,
    "\t}",
    "\tnet {",
    `\t\tprotocol ${spec.protocol};`,
    nine && fencing,
    "\t\tcram-hmac-alg sha1;",
    `\t\tshared-secret "${spec.sharedSecret}";`,
    `\t\tafter-sb-0pri ${spec.splitBrain.afterSb0Pri};`,
    `\t\tafter-sb-1pri ${spec.splitBrain.afterSb1Pri};`,
    `\t\tafter-sb-2pri ${spec.splitBrain.afterSb2Pri};`,
    "\t}",
    ...on(spec.peers[0], 0),
    ...on(spec.peers[1], 1),
    "}",
  );
}
