import { MANAGED_HEADER, lines } from "../core/text";

export type HeartbeatFlavor = "modern" | "2006";

export interface HaCfSpec {
  flavor: HeartbeatFlavor;
  keepalive: number;
  deadtime: number;
  warntime: number;
  initdead: number;
  udpport: number;
  /** Serial heartbeat link (null-modem cable), e.g. `/dev/ttyS0`. */
  serial?: string;
  baud: number;
  /** Interface for unicast heartbeats. */
  interface: string;
  /** The other node's cluster address. */
  peerAddress: string;
  autoFailback: boolean;
  watchdog?: string;
  /** Both node names, preferred first. */
  nodes: [string, string];
}

/** `/etc/ha.d/ha.cf` for one node (its `ucast` names the other node, as in the seed). */
export function renderHaCf(spec: HaCfSpec): string {
  const modern = spec.flavor === "modern";
  return lines(
    modern && `# ${MANAGED_HEADER}`,
    modern && "logfacility daemon",
    `keepalive ${spec.keepalive}`,
    `deadtime ${spec.deadtime}`,
    `warntime ${spec.warntime}`,
    `initdead ${spec.initdead}`,
    `udpport ${spec.udpport}`,
    spec.serial !== undefined && `baud ${spec.baud}`,
    spec.serial !== undefined && `serial ${spec.serial}`,
    `ucast ${spec.interface} ${spec.peerAddress}`,
    `auto_failback ${spec.autoFailback ? "on" : "off"}`,
    spec.watchdog !== undefined && `watchdog ${spec.watchdog}`,
    ...spec.nodes.map((n) => `node ${n}`),
    modern && "crm no",
  );
}

/** `/etc/ha.d/haresources`: the preferred node, then the resources in start order. */
export function renderHaresources(preferred: string, resources: readonly string[]): string {
  return lines(`${preferred} ${resources.join(" ")}`);
}

/** One `authkeys` method. `crc` and `md5` are weak; the library refuses them unless asked. */
export interface AuthMethod {
  method: "sha1" | "md5" | "crc";
}

export interface AuthkeysSpec {
  /** Methods in order; the first is key 1. */
  methods: AuthMethod["method"][];
  /** Which key (1-based) heartbeat signs with. */
  active: number;
  key: string;
}

/** `/etc/ha.d/authkeys` (mode 0600). */
export function renderAuthkeys(spec: AuthkeysSpec): string {
  return lines(
    `auth ${spec.active}`,
    ...spec.methods.map((method, i) => `${i + 1} ${method}${method === "crc" ? "" : ` ${spec.key}`}`),
  );
}
