/** GNBD, the seed's export (the 2006 flavor): its drbddisk Heartbeat resource serves it. */
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../core/options";
import { HA_RESOURCE_DIR } from "../core/parts";
import { lines } from "../core/text";
import { RemoteFile } from "../remote";
import type { ExportLayout } from "./gnbd-export";

/** @internal */
export interface GnbdDrbddiskSpec {
  exportName: string;
  device: string;
}

/**
 * The seed's `drbddisk` Heartbeat resource, adapted as the 2006 article says so that the
 * primary also serves GNBD. One deliberate change: the seed's `stop)` ran
 * `exec $DRBDADM secondary` first, so nothing after it ever ran and DRBD could not be
 * demoted while still exported. Here `exec` comes last, after the export is withdrawn.
 * @internal
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

/**
 * Lays out the seed's drbddisk on each storage host; it serves GNBD itself, so Heartbeat has no export resource.
 * @internal
 */
export const layOutGnbd: ExportLayout = (parent, name, spec, opts) => {
  const drbddisk = pulumi
    .all([spec.exportName, spec.device])
    .apply(([exportName, device]) => renderGnbdDrbddisk({ exportName, device }));
  for (const host of spec.hosts) {
    new RemoteFile(
      `${name}-${host.name}-drbddisk`,
      { host, path: `${HA_RESOURCE_DIR}/drbddisk`, content: drbddisk, mode: "0755" },
      childOf(parent, opts?.dependsOn, ...spec.upstream),
    );
  }
  return { haResource: undefined };
};
