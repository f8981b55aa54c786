import { MANAGED_HEADER, lines } from "../core/text";

/** @internal */
export interface HaCfSpec {
  /** Lines before the timings (the variant's). */
  head: readonly string[];
  /** Lines after the nodes (the variant's). */
  tail: readonly string[];
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

/**
 * `/etc/ha.d/ha.cf` for one node (its `ucast` names the other node, as in the seed).
 * @internal
 */
export function renderHaCf(spec: HaCfSpec): string {
  return lines(
    ...spec.head,
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
    ...spec.tail,
  );
}

/**
 * `/etc/ha.d/haresources`: the preferred node, then the resources in start order.
 * @internal
 */
export function renderHaresources(preferred: string, resources: readonly string[]): string {
  return lines(`${preferred} ${resources.join(" ")}`);
}

/** One `authkeys` method. `crc` and `md5` are weak; the library refuses them unless asked. */
export interface AuthMethod {
  method: "sha1" | "md5" | "crc";
}

/** @internal */
export interface AuthkeysSpec {
  /** Methods in order; the first is key 1. */
  methods: AuthMethod["method"][];
  /** Which key (1-based) heartbeat signs with. */
  active: number;
  key: string;
}

/**
 * `/etc/ha.d/authkeys` (mode 0600).
 * @internal
 */
export function renderAuthkeys(spec: AuthkeysSpec): string {
  return lines(
    `auth ${spec.active}`,
    ...spec.methods.map((method, i) => `${i + 1} ${method}${method === "crc" ? "" : ` ${spec.key}`}`),
  );
}

/**
 * What Heartbeat's haresources starts, in order.
 * @internal
 */
export interface HaResourcesSpec {
  /** The virtual IP with prefix length. */
  virtualIp: string;
  interface: string;
  drbdResource: string;
  /** The exports' Heartbeat resources. */
  exports: readonly string[];
}

/**
 * What differs between the Heartbeat of today and the seed's files; chosen once, by flavor.
 * @internal
 */
export interface HeartbeatVariant {
  haCfHead: readonly string[];
  haCfTail: readonly string[];
  /** haresources' resources in start order. */
  resources(spec: HaResourcesSpec): string[];
}

/**
 * Heartbeat 3 in v1 mode: the library's header, syslog, IPaddr2 and the export's own resource.
 * @internal
 */
export const heartbeatModern: HeartbeatVariant = {
  haCfHead: [`# ${MANAGED_HEADER}`, "logfacility daemon"],
  haCfTail: ["crm no"],
  resources: (r) => [`drbddisk::${r.drbdResource}`, ...r.exports, `IPaddr2::${r.virtualIp}/${r.interface}`],
};
