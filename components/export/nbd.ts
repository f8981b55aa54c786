/**
 * The NBD export of today (GnbdExport's default): nbd-server runs on both storage hosts, and
 * Heartbeat serves the export on the DRBD primary.
 */
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../core/options";
import { ClusterResource, HA_RESOURCE_DIR, OCF_AGENT_DIR } from "../core/parts";
import { ocfMetaData } from "../core/ocf";
import { shq } from "../core/shell";
import { MANAGED_HEADER, lines } from "../core/text";
import { RemoteFile, Step } from "../remote";
import { disableService, enableService, reloadSystemdIfStale } from "../remote/service";
import type { ExportLayout } from "./gnbd-export";

/**
 * Where the library keeps the nbd-server configuration of each export.
 * @internal
 */
export const NBD_CONF_DIR = "/etc/xenstorage/nbd";

/**
 * The export's OCF agent (`ocf:xenstorage:nbd-export`).
 * @internal
 */
export const NBD_EXPORT_AGENT = "nbd-export";

/** @internal */
export interface NbdExportSpec {
  name: string;
  device: string;
  port: number;
  /** Path of the file listing the client addresses allowed to connect. */
  authFile: string;
}

/**
 * nbd-server configuration for one export.
 * @internal
 */
export function renderNbdServerConf(spec: NbdExportSpec): string {
  return lines(
    `# ${MANAGED_HEADER}`,
    "[generic]",
    "\tuser = nbd",
    "\tgroup = disk",
    `\tport = ${spec.port}`,
    "\tallowlist = false",
    `[${spec.name}]`,
    `\texportname = ${spec.device}`,
    `\tauthfile = ${spec.authFile}`,
    "\tflush = true",
    "\tfua = true",
    // Uncached, as GNBD exported: a write is acknowledged only once DRBD holds it on both
    // hosts, so a client never loses an acknowledged write when the primary dies.
    "\tsync = true",
  );
}

/**
 * nbd-server's authfile: one allowed client per line, as its IPv4-mapped IPv6 address. Both
 * plain forms fail on one release or the other when nbd-server listens on an IPv6 socket
 * (address_matches in nbdsrv.c): 3.26 (Debian 13) refuses every client of a bare IPv4 line
 * (it compares 224 bits), and 3.24 (Debian 12) admits every IPv4 client of an `A/32` line
 * (it compares only the mapped address's first 32 bits, all zero). `::ffff:A` compares the
 * 128 bits on both, and on an IPv4 socket too.
 * @internal
 */
export function renderNbdAuthFile(clients: readonly string[]): string {
  return lines(`# ${MANAGED_HEADER}`, ...clients.map((c) => `::ffff:${c}`));
}

/**
 * systemd unit that keeps one export's nbd-server running on a storage host.
 * @internal
 */
export function nbdServerUnit(exportName: string): string {
  return `xenstorage-nbd-${exportName}.service`;
}

/**
 * Where the nbd-server of one export writes its process id.
 * @internal
 */
export function nbdServerPidFile(exportName: string): string {
  return `/run/xenstorage-nbd-${exportName}.pid`;
}

/**
 * The unit of one export's nbd-server, on both storage hosts from boot on. Its main process
 * never opens the device (each connection's child does), so it runs on the secondary too.
 * @internal
 */
export function renderNbdServerUnit(exportName: string, confDir: string): string {
  const pidFile = nbdServerPidFile(exportName);
  return lines(
    `# ${MANAGED_HEADER}`,
    "[Unit]",
    `Description=xenstorage: nbd-server of the export ${exportName} (Heartbeat serves it on the DRBD primary)`,
    "After=network.target",
    "",
    "[Service]",
    "Type=forking",
    `PIDFile=${pidFile}`,
    `ExecStart=/bin/nbd-server -C ${confDir}/${exportName}.conf -p ${pidFile}`,
    "Restart=on-failure",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  );
}

/**
 * The resource agent that serves one export while this node holds the pair's resources. One
 * script speaks both managers' conventions: Heartbeat v1's `xenstorage-nbd NAME
 * start|stop|status` and Pacemaker's OCF (`ocf:xenstorage:nbd-export`, the export in
 * `OCF_RESKEY_export`: start, stop, monitor, meta-data, validate-all). `restart` (the
 * library's, after a change of the configuration) starts the server afresh.
 *
 * nbd-server generates its TLS parameters between listening and its first accept: seconds on
 * real hardware, 10-37 s in the lab's emulated guests. So the server runs on both hosts all
 * the time, and a takeover only marks the export served; giving it up closes the client
 * connections, whose processes hold the DRBD device open.
 * @internal
 */
export function renderNbdResourceScript(confDir: string): string {
  return lines(
    "#!/bin/sh",
    `# ${MANAGED_HEADER}`,
    "# Serves one NBD export while this node is the DRBD primary.",
    "# Heartbeat v1: xenstorage-nbd EXPORT {start|stop|status|restart}",
    "# Pacemaker:    OCF_RESKEY_export=EXPORT nbd-export {start|stop|monitor|meta-data|validate-all|restart}",
    'if [ "${1:-}" = meta-data ]; then',
    "	cat <<'XML'",
    ...ocfMetaData({
      name: "nbd-export",
      description: "Serves one NBD export of nbd-server (which runs on both storage hosts) on this node.",
      parameters: [{ name: "export", description: "The export's name (its nbd-server section)." }],
    }),
    "XML",
    "	exit 0",
    "fi",
    'if [ -n "${OCF_RESKEY_export:-}" ]; then name=$OCF_RESKEY_export; action=${1:-}; else name=${1:-}; action=${2:-}; fi',
    `conf=${confDir}/$name.conf`,
    `pidfile=${nbdServerPidFile("$name")}`,
    "served=/run/xenstorage-nbd-$name.served",
    `unit=${nbdServerUnit("$name")}`,
    'log() { logger -t xenstorage-nbd "$name: $*" 2>/dev/null || :; }',
    'server() { [ -s "$pidfile" ] && cat "$pidfile"; }',
    'running() { pid=$(server) && kill -0 "$pid" 2>/dev/null; }',
    "# Starts the server unless it runs: through its unit under systemd, else directly.",
    "listen() {",
    "	running && return 0",
    '	if [ -d /run/systemd/system ] && [ -f "/etc/systemd/system/$unit" ]; then',
    '		systemctl start "$unit" || return 1',
    "	else",
    '		nbd-server -C "$conf" -p "$pidfile" || return 1',
    "	fi",
    "	for i in 1 2 3 4 5 6 7 8 9 10; do running && return 0; sleep 0.5; done",
    "	return 1",
    "}",
    "# Ends the processes serving clients: the server's children.",
    "disconnect() {",
    "	pid=$(server) || return 0",
    '	pkill -TERM -P "$pid" 2>/dev/null || return 0',
    '	for i in 1 2 3 4 5 6 7 8 9 10; do pgrep -P "$pid" >/dev/null || return 0; sleep 0.5; done',
    '	pkill -KILL -P "$pid" 2>/dev/null || :',
    "}",
    'case "$action" in',
    "start)",
    "	listen || exit 1",
    '	touch "$served"',
    '	log "serving"',
    "	exit 0",
    "	;;",
    "stop)",
    '	rm -f "$served"',
    "	disconnect",
    '	log "not serving"',
    "	exit 0",
    "	;;",
    "status)",
    '	if [ -e "$served" ] && running; then echo running; exit 0; else echo stopped; exit 3; fi',
    "	;;",
    "monitor)",
    "	# OCF: 0 served, 7 not served, 1 served without a server (Pacemaker then restarts it)",
    '	[ -e "$served" ] || exit 7',
    "	running && exit 0",
    "	exit 1",
    "	;;",
    "validate-all)",
    '	[ -f "$conf" ] || exit 6',
    "	exit 0",
    "	;;",
    "restart)",
    "	# ends the running server, whatever started it (its unit, or an older version of this script); clients reconnect",
    "	if running; then",
    "		disconnect",
    '		kill -TERM "$pid" 2>/dev/null || :',
    '		for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done',
    '		kill -KILL "$pid" 2>/dev/null || :',
    "	fi",
    '	rm -f "$pidfile"',
    "	listen",
    "	;;",
    "*)",
    '	echo "Usage: $0 EXPORT {start|stop|status|restart}" >&2',
    "	exit 3",
    "	;;",
    "esac",
  );
}

/** The resource script's command line for one export. */
function resourceScript(exportName: string, action: string): string {
  return `${HA_RESOURCE_DIR}/xenstorage-nbd ${shq(exportName)} ${action}`;
}

/**
 * Runs the export's nbd-server from boot on, afresh after a change of its configuration or
 * unit (clients reconnect by themselves). A changed allow list needs nothing: nbd-server
 * reads it at each connection.
 * @internal
 */
export function nbdServeScript(exportName: string): string {
  const unit = nbdServerUnit(exportName);
  return [enableService(unit), reloadSystemdIfStale(unit), resourceScript(exportName, "restart")].join("\n");
}

/**
 * Lays out nbd-server's files and its unit on each storage host; Heartbeat serves the export.
 * @internal
 */
export const layOutNbd: ExportLayout = (parent, name, spec, opts) => {
  const confPath = spec.exportName.apply((e) => `${NBD_CONF_DIR}/${e}.conf`);
  const authPath = spec.exportName.apply((e) => `${NBD_CONF_DIR}/${e}.allow`);
  const conf = pulumi
    .all([spec.exportName, spec.device, spec.port, authPath])
    .apply(([exportName, device, port, authFile]) =>
      renderNbdServerConf({ name: exportName, device, port, authFile }),
    );
  const allow = pulumi.all(spec.allowedClients).apply(renderNbdAuthFile);
  const agent = renderNbdResourceScript(NBD_CONF_DIR);
  for (const host of spec.hosts) {
    const n = `${name}-${host.name}`;
    const deps = childOf(parent, opts?.dependsOn, ...spec.upstream);
    const file = (suffix: string, path: pulumi.Input<string>, content: pulumi.Input<string>, mode?: string) =>
      new RemoteFile(`${n}-${suffix}`, { host, path, content, mode }, deps);
    const served = [
      file("nbd-conf", confPath, conf),
      file(
        "nbd-unit",
        spec.exportName.apply((e) => `/etc/systemd/system/${nbdServerUnit(e)}`),
        spec.exportName.apply((e) => renderNbdServerUnit(e, NBD_CONF_DIR)),
      ),
      file("ha-resource", `${HA_RESOURCE_DIR}/xenstorage-nbd`, agent, "0755"),
      file("ocf-agent", `${OCF_AGENT_DIR}/${NBD_EXPORT_AGENT}`, agent, "0755"),
    ];
    const allowed = file("nbd-allow", authPath, allow);
    new Step(
      `${n}-reserve`,
      {
        host,
        create: spec.exportName.apply(nbdServeScript),
        delete: spec.exportName.apply(
          (e) => `${resourceScript(e, "stop")} || :\n${disableService(nbdServerUnit(e))}`,
        ),
        rerunOn: served.map((f) => f.contentHash),
      },
      childOf(parent, opts?.dependsOn, ...spec.upstream, ...served, allowed),
    );
  }
  return {
    haResource: spec.exportName.apply((e) => `xenstorage-nbd::${e}`),
    clusterResource: spec.exportName.apply((e): ClusterResource => ({
      type: NBD_EXPORT_AGENT,
      parameters: { export: e },
    })),
  };
};
