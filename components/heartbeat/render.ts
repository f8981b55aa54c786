import { ocfMetaData } from "../core/ocf";
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
 * The agent that holds the virtual IP and announces it with gratuitous ARP. One script speaks
 * both managers' conventions: Heartbeat v1's `xenstorage-ip ADDRESS/PREFIX/INTERFACE
 * start|stop|status` and Pacemaker's OCF (`ocf:xenstorage:ip`, the same value in
 * `OCF_RESKEY_ip`: start, stop, monitor, meta-data, validate-all).
 *
 * It does for one plain address what `IPaddr2` does, in a few commands: `IPaddr2` (a large
 * shell agent, called twice per takeover) took 15-54 s to start in the lab's emulated guests,
 * most of a failover there. The announcement uses resource-agents' `send_arp`, as `IPaddr2`
 * does: five packets 200 ms apart, in the background.
 * @internal
 */
export function renderIpResourceScript(): string {
  return lines(
    "#!/bin/sh",
    `# ${MANAGED_HEADER}`,
    "# The virtual IP of the storage hosts.",
    "# Heartbeat v1: xenstorage-ip ADDRESS/PREFIX/INTERFACE {start|stop|status}",
    "# Pacemaker:    OCF_RESKEY_ip=ADDRESS/PREFIX/INTERFACE ip {start|stop|monitor|meta-data|validate-all}",
    'if [ "${1:-}" = meta-data ]; then',
    "	cat <<'XML'",
    ...ocfMetaData({
      name: IP_AGENT,
      description: "Holds one IPv4 address on an interface and announces it with gratuitous ARP.",
      parameters: [{ name: "ip", description: "ADDRESS/PREFIX/INTERFACE, e.g. 10.0.0.6/24/eth0." }],
    }),
    "XML",
    "	exit 0",
    "fi",
    'if [ -n "${OCF_RESKEY_ip:-}" ]; then spec=$OCF_RESKEY_ip; action=${1:-}; else spec=${1:-}; action=${2:-}; fi',
    "address=${spec%%/*}; rest=${spec#*/}; prefix=${rest%%/*}; dev=${rest#*/}",
    'log() { logger -t xenstorage-ip "$address: $*" 2>/dev/null || :; }',
    'held() { ip -o -4 addr show dev "$dev" | grep -q " $address/"; }',
    'case "$action" in',
    "start)",
    '	held || ip addr add "$address/$prefix" brd + dev "$dev" || exit 1',
    '	ip link set "$dev" up || exit 1',
    '	log "up on $dev"',
    "	# the clients' ARP caches still name the old holder",
    "	for sender in /usr/libexec/heartbeat/send_arp /usr/lib/heartbeat/send_arp; do",
    '		[ -x "$sender" ] || continue',
    '		"$sender" -i 200 -r 5 "$dev" "$address" auto not_used not_used </dev/null >/dev/null 2>&1 &',
    '		log "announced"',
    "		exit 0",
    "	done",
    '	log "not announced: send_arp (resource-agents) not found"',
    "	exit 0",
    "	;;",
    "stop)",
    '	if held; then ip addr del "$address/$prefix" dev "$dev" || exit 1; log "down"; fi',
    "	exit 0",
    "	;;",
    "status)",
    "	if held; then echo running; exit 0; else echo stopped; exit 3; fi",
    "	;;",
    "monitor)",
    "	held && exit 0",
    "	exit 7",
    "	;;",
    "validate-all)",
    '	ip link show dev "$dev" >/dev/null 2>&1 || exit 6',
    "	exit 0",
    "	;;",
    "*)",
    '	echo "Usage: $0 ADDRESS/PREFIX/INTERFACE {start|stop|status}" >&2',
    "	exit 3",
    "	;;",
    "esac",
  );
}

/**
 * The IP agent's name in the library's OCF provider (`ocf:xenstorage:ip`).
 * @internal
 */
export const IP_AGENT = "ip";

/** A resource script the variant installs in Heartbeat's resource directory. */
interface ResourceScript {
  name: string;
  content: string;
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
  /** Resource scripts of the library that the resources use. */
  scripts: readonly ResourceScript[];
}

/**
 * Heartbeat 3 in v1 mode: the library's header, syslog, the export's own resource and the
 * library's virtual-IP resource.
 * @internal
 */
export const heartbeatModern: HeartbeatVariant = {
  haCfHead: [`# ${MANAGED_HEADER}`, "logfacility daemon"],
  haCfTail: ["crm no"],
  resources: (r) => [
    `drbddisk::${r.drbdResource}`,
    ...r.exports,
    `xenstorage-ip::${r.virtualIp}/${r.interface}`,
  ],
  scripts: [{ name: "xenstorage-ip", content: renderIpResourceScript() }],
};
