import { MANAGED_HEADER, lines } from "../core/text";

/** @internal */
export interface CorosyncNodeSpec {
  name: string;
  nodeId: number;
  address: string;
}

/** @internal */
export interface CorosyncSpec {
  clusterName: string;
  nodes: CorosyncNodeSpec[];
  /** Token timeout in ms. */
  token: number;
}

/**
 * `/etc/corosync/corosync.conf` for corosync 3 (knet, encrypted with `/etc/corosync/authkey`).
 * @internal
 */
export function renderCorosync(spec: CorosyncSpec): string {
  return lines(
    `# ${MANAGED_HEADER}`,
    "totem {",
    "\tversion: 2",
    `\tcluster_name: ${spec.clusterName}`,
    "\ttransport: knet",
    "\tcrypto_cipher: aes256",
    "\tcrypto_hash: sha256",
    `\ttoken: ${spec.token}`,
    "}",
    "",
    "nodelist {",
    ...spec.nodes.flatMap((n) => [
      "\tnode {",
      `\t\tname: ${n.name}`,
      `\t\tnodeid: ${n.nodeId}`,
      `\t\tring0_addr: ${n.address}`,
      "\t}",
    ]),
    "}",
    "",
    "quorum {",
    "\tprovider: corosync_votequorum",
    spec.nodes.length === 2 && "\ttwo_node: 1",
    "}",
    "",
    "logging {",
    "\tto_syslog: yes",
    "\tto_logfile: yes",
    "\tlogfile: /var/log/corosync/corosync.log",
    "\ttimestamp: on",
    "}",
  );
}
