/**
 * The NBD export of today (GnbdExport's default): nbd-server's files on both storage hosts,
 * started and stopped by Heartbeat together with the DRBD primary role.
 */
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../core/options";
import { shq } from "../core/shell";
import { MANAGED_HEADER, lines } from "../core/text";
import { RemoteFile, Step } from "../remote";
import type { ExportLayout } from "./gnbd-export";

/**
 * Where the library keeps the nbd-server configuration of each export.
 * @internal
 */
export const NBD_CONF_DIR = "/etc/xenstorage/nbd";

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
 * nbd-server's authfile: one allowed client address per line.
 * @internal
 */
export function renderNbdAuthFile(clients: readonly string[]): string {
  return lines(`# ${MANAGED_HEADER}`, ...clients);
}

/**
 * Where a Heartbeat v1 resource script lives.
 * @internal
 */
export const HA_RESOURCE_DIR = "/etc/ha.d/resource.d";

/**
 * Heartbeat v1 resource script `xenstorage-nbd`: `xenstorage-nbd NAME start|stop|status`
 * serves the export NAME with its own nbd-server while this node holds the resources.
 * @internal
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

/** The resource script's command line for one export. */
function resourceScript(exportName: string, action: string): string {
  return `${HA_RESOURCE_DIR}/xenstorage-nbd ${shq(exportName)} ${action}`;
}

/**
 * Re-serves a changed export at once where it runs (clients reconnect by themselves).
 * @internal
 */
export function nbdReserveScript(exportName: string): string {
  return `if ${resourceScript(exportName, "status")} >/dev/null 2>&1; then ${resourceScript(exportName, "stop")}; ${resourceScript(exportName, "start")}; else echo 'export not served here (secondary)'; fi`;
}

/**
 * Lays out nbd-server's files and the re-serve step on each storage host; Heartbeat runs the export.
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
  for (const host of spec.hosts) {
    const n = `${name}-${host.name}`;
    const deps = childOf(parent, opts?.dependsOn, ...spec.upstream);
    const written = [
      new RemoteFile(`${n}-nbd-conf`, { host, path: confPath, content: conf }, deps),
      new RemoteFile(`${n}-nbd-allow`, { host, path: authPath, content: allow }, deps),
      new RemoteFile(
        `${n}-ha-resource`,
        {
          host,
          path: `${HA_RESOURCE_DIR}/xenstorage-nbd`,
          content: renderNbdResourceScript(NBD_CONF_DIR),
          mode: "0755",
        },
        deps,
      ),
    ];
    new Step(
      `${n}-reserve`,
      {
        host,
        create: spec.exportName.apply(nbdReserveScript),
        delete: spec.exportName.apply((e) => `${resourceScript(e, "stop")} || :`),
        rerunOn: written.map((f) => f.contentHash),
      },
      childOf(parent, opts?.dependsOn, ...spec.upstream, ...written),
    );
  }
  return spec.exportName.apply((e) => `xenstorage-nbd::${e}`);
};
