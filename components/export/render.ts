/**
 * Files of the block-device export (GnbdExport): NBD today, GNBD in the 2006 flavor.
 * Both are started and stopped by Heartbeat together with the DRBD primary role.
 */
import { MANAGED_HEADER, lines } from "../core/text";

export interface NbdExportSpec {
  name: string;
  device: string;
  port: number;
  /** Path of the file listing the client addresses allowed to connect. */
  authFile: string;
}

/** nbd-server configuration for one export. */
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

/** nbd-server's authfile: one allowed client address per line. */
export function renderNbdAuthFile(clients: readonly string[]): string {
  return lines(`# ${MANAGED_HEADER}`, ...clients);
}

/** Where a Heartbeat v1 resource script lives. */
export const HA_RESOURCE_DIR = "/etc/ha.d/resource.d";

/**
 * Heartbeat v1 resource script `xenstorage-nbd`: `xenstorage-nbd NAME start|stop|status`
 * serves the export NAME with its own nbd-server while this node holds the resources.
 */
export function renderNbdResourceScript(confDir: string): string {
  return lines(
    "#!/bin/sh",
    `# ${MANAGED_HEADER}`,
    "# Heartbeat resource: serve one NBD export while this node is the DRBD primary.",
    "# Usage: xenstorage-nbd EXPORT {start|stop|status}",
    "name=$1; action=$2",
    `conf=${confDir}/$name.conf`,
    "pidfile=/run/xenstorage-nbd-$name.pid",
    'running() { [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }',
    'case "$action" in',
    "start)",
    "\trunning && exit 0",
    "\tmodprobe nbd 2>/dev/null || :",
    '\tnbd-server -C "$conf" -p "$pidfile" || exit 1',
    "\tfor i in 1 2 3 4 5 6 7 8 9 10; do running && exit 0; sleep 0.5; done",
    "\texit 1",
    "\t;;",
    "stop)",
    "\t# the main server and the children serving clients all hold the DRBD device open",
    '\tpkill -TERM -f "^nbd-server -C $conf" 2>/dev/null || :',
    '\tfor i in 1 2 3 4 5 6 7 8 9 10; do pgrep -f "^nbd-server -C $conf" >/dev/null || break; sleep 0.5; done',
    '\tpkill -KILL -f "^nbd-server -C $conf" 2>/dev/null || :',
    '\trm -f "$pidfile"',
    "\texit 0",
    "\t;;",
    "status)",
    "\tif running; then echo running; exit 0; else echo stopped; exit 3; fi",
    "\t;;",
    "*)",
    '\techo "Usage: $0 EXPORT {start|stop|status}" >&2',
    "\texit 1",
    "\t;;",
    "esac",
  );
}

export interface GnbdDrbddiskSpec {
  exportName: string;
  device: string;
}

/**
 * The seed's `drbddisk` Heartbeat resource, adapted as the 2006 article says so that the
 * primary also serves GNBD. One deliberate change: the seed's `stop)` ran
 * `exec $DRBDADM secondary` first, so nothing after it ever ran and DRBD could not be
 * demoted while still exported. Here `exec` comes last, after the export is withdrawn.
 */
export function renderGnbdDrbddisk(spec: GnbdDrbddiskSpec): string {
  return lines(
    "#!/bin/bash",
    "#",
    "# This script is inteded to be used as resource script by heartbeat",
    "#",
    'DEFAULTFILE="/etc/default/drbd"',
    'DRBDADM="/sbin/drbdadm"',
    "if [ -f $DEFAULTFILE ]; then",
    "  . $DEFAULTFILE",
    "fi",
    'if [ "$#" -eq 2 ]; then',
    '  RES="$1"',
    '  CMD="$2"',
    "else",
    '  RES="all"',
    '  CMD="$1"',
    "fi",
    'case "$CMD" in',
    "start)",
    "    # try several times, in case heartbeat deadtime",
    "    # was smaller than drbd ping time",
    "    try=6",
    "    while true; do",
    "            $DRBDADM primary $RES && break",
    '            let "--try" || exit 20',
    "            sleep 1",
    "    done",
    "    vgchange -aly",
    "    gnbd_serv",
    `    gnbd_export -e ${spec.exportName} -d ${spec.device}`,
    "    ;;",
    "stop)",
    "    gnbd_export -R",
    "    gnbd_serv -k",
    "    vgchange -aln",
    "    # exec, so the exit code of drbdadm propagates",
    "    exec $DRBDADM secondary $RES",
    "    ;;",
    "status)",
    "    ST=$( $DRBDADM state $RES 2>/dev/null )",
    '    case "${ST%/*}" in',
    '    Primary) echo "running"; exit 0 ;;',
    '    *) echo "stopped"; exit 3 ;;',
    "    esac",
    "    ;;",
    "*)",
    '    echo "Usage: drbddisk [resource] {start|stop|status}"',
    "    exit 1",
    "    ;;",
    "esac",
    "exit 0",
  );
}
