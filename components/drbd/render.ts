import { MANAGED_HEADER, lines } from "../core/text";

/** One side of a DRBD resource. */
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

export interface DrbdSplitBrainSpec {
  afterSb0Pri: string;
  afterSb1Pri: string;
  afterSb2Pri: string;
}

export interface DrbdSpec {
  resource: string;
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

/** `/etc/drbd.d/global_common.conf`: no usage reporting (the hosts must never call out). */
export function renderDrbdGlobal(): string {
  return lines(`# ${MANAGED_HEADER}`, "global {", "\tusage-count no;", "}", "common {", "}");
}

/** Where the boot-order drop-in of one resource goes. */
export function drbdBootDropInPath(resource: string): string {
  return `/etc/systemd/system/drbd.service.d/xenstorage-${resource}.conf`;
}

/**
 * A drop-in for drbd.service: activates the resource's logical volume before DRBD attaches
 * it at boot. Debian's LVM activates volumes from udev through `systemd-run --no-block`, in
 * no order with drbd.service; a DRBD that starts first comes up Diskless and never resyncs.
 */
export function renderDrbdBootDropIn(logicalVolume: string): string {
  return lines(
    `# ${MANAGED_HEADER}`,
    "[Service]",
    `ExecStartPre=/sbin/lvm lvchange --activate y ${logicalVolume}`,
  );
}

/** `/etc/drbd.d/<resource>.res` for DRBD 8.4 or 9; `/etc/drbd.conf` for the seed's 0.7. */
export function renderDrbd(spec: DrbdSpec): string {
  return spec.version === "0.7" ? renderDrbd07(spec) : renderDrbdModern(spec);
}

function renderDrbdModern(spec: DrbdSpec): string {
  const on = (peer: DrbdPeerSpec, nodeId: number) => [
    `\ton ${peer.name} {`,
    spec.version === "9" ? `\t\tnode-id ${nodeId};` : undefined,
    `\t\tdevice ${peer.device};`,
    `\t\tdisk ${peer.disk};`,
    `\t\taddress ${peer.address}:${peer.port};`,
    "\t\tmeta-disk internal;",
    "\t}",
  ];
  return lines(
    `# ${MANAGED_HEADER}`,
    `resource ${spec.resource} {`,
    "\tstartup {",
    `\t\tdegr-wfc-timeout ${spec.degrWfcTimeout};`,
    "\t}",
    "\tdisk {",
    `\t\ton-io-error ${spec.onIoError};`,
    `\t\tresync-rate ${spec.resyncRate};`,
    "\t}",
    "\tnet {",
    `\t\tprotocol ${spec.protocol};`,
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

/** The seed's DRBD 0.7 `drbd.conf`, line for line. */
function renderDrbd07(spec: DrbdSpec): string {
  const on = (peer: DrbdPeerSpec) => [
    ` on ${peer.name} {`,
    `  device ${peer.device};`,
    `  disk ${peer.disk};`,
    `  address ${peer.address}:${peer.port};`,
    "  meta-disk internal;",
    " }",
  ];
  return lines(
    `resource ${spec.resource} {`,
    `protocol ${spec.protocol};`,
    ` incon-degr-cmd "echo '!DRBD! pri on incon-degr' | wall ;\\`,
    '  sleep 60; halt -f"',
    " startup {",
    `  degr-wfc-timeout ${spec.degrWfcTimeout};`,
    " }",
    " disk {",
    `  on-io-error ${spec.onIoError};`,
    " }",
    " net {}",
    " syncer {",
    `  rate ${spec.resyncRate};`,
    "  group 1;",
    " }",
    ...on(spec.peers[0]),
    ...on(spec.peers[1]),
    "}",
  );
}
