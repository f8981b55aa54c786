import { MANAGED_HEADER, lines } from "../core/text";

/** @internal */
export interface Ocfs2NodeSpec {
  name: string;
  number: number;
  address: string;
}

/** @internal */
export interface Ocfs2ClusterSpec {
  clusterName: string;
  port: number;
  nodes: Ocfs2NodeSpec[];
}

/**
 * `/etc/ocfs2/cluster.conf` (the o2cb stanza format: tab-indented `key = value` lines).
 * @internal
 */
export function renderOcfs2ClusterConf(spec: Ocfs2ClusterSpec): string {
  return lines(
    `# ${MANAGED_HEADER}`,
    "cluster:",
    `\tnode_count = ${spec.nodes.length}`,
    `\tname = ${spec.clusterName}`,
    "",
    ...spec.nodes.flatMap((n) => [
      "node:",
      `\tip_port = ${spec.port}`,
      `\tip_address = ${n.address}`,
      `\tnumber = ${n.number}`,
      `\tname = ${n.name}`,
      `\tcluster = ${spec.clusterName}`,
      "",
    ]),
  );
}

/** @internal */
export interface O2cbDefaultsSpec {
  clusterName: string;
  /** Disk heartbeat iterations (2 s each) before a node fences itself. */
  heartbeatThreshold: number;
  idleTimeoutMs: number;
}

/**
 * `/etc/default/o2cb`: bring the o2cb cluster online at boot.
 * @internal
 */
export function renderO2cbDefaults(spec: O2cbDefaultsSpec): string {
  return lines(
    `# ${MANAGED_HEADER}`,
    "O2CB_ENABLED=true",
    "O2CB_STACK=o2cb",
    `O2CB_BOOTCLUSTER=${spec.clusterName}`,
    `O2CB_HEARTBEAT_THRESHOLD=${spec.heartbeatThreshold}`,
    `O2CB_IDLE_TIMEOUT_MS=${spec.idleTimeoutMs}`,
    "O2CB_KEEPALIVE_DELAY_MS=2000",
    "O2CB_RECONNECT_DELAY_MS=2000",
  );
}

/**
 * The `/etc/fstab` line that mounts the shared volume after the network (and the import) is up.
 * @internal
 */
export function renderFstabLine(device: string, mountPoint: string, options: string): string {
  return lines(`${device} ${mountPoint} ocfs2 ${options} 0 0`);
}
