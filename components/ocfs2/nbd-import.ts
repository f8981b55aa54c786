/**
 * The Xen nodes' side of the NBD export: a small daemon that keeps a device-mapper map
 * connected to the export through storage failovers.
 *
 * Why: the kernel's NBD client fails every request once its connection dies, and OCFS2
 * panics the node on a failed journal write. GNBD (the seed) queued I/O until the server
 * came back. Here a multipath map with `queue_if_no_path` holds the I/O, and the daemon
 * connects a fresh NBD device to whichever storage host holds the virtual IP and swaps it
 * into the map (as multipathd does for SCSI paths).
 */
import { shq } from "../core/shell";
import * as rules from "../core/rules";
import { MANAGED_HEADER, lines } from "../core/text";
import { RemoteFile } from "../remote";
import { enableService, reloadSystemdIfStale, unitAction, waitFor } from "../remote/service";
import { ImportSpec, ImportVariant } from "./import";

/**
 * Where the daemon is installed.
 * @internal
 */
export const NBD_IMPORT_DAEMON = "/usr/local/sbin/xenstorage-nbd-import";

/**
 * Where the server, port and request timeout of one import live. The daemon reads them
 * each time it connects, so a changed setting needs no restart: it applies at the next
 * reconnect, and a re-served export (a changed port) forces that reconnect at once.
 * @internal
 */
export function nbdImportSettingsPath(exportName: string): string {
  return `/etc/xenstorage/nbd-import/${exportName}.conf`;
}

/** @internal */
export interface NbdImportSettings {
  server: string;
  port: number;
  /** Seconds before a request to a silent server fails over to a fresh connection. */
  requestTimeout: number;
}

/**
 * systemd unit name of one import.
 * @internal
 */
export function nbdImportUnit(exportName: string): string {
  return `xenstorage-nbd-import-${exportName}.service`;
}

/**
 * `xenstorage-nbd-import EXPORT MAP` (POSIX sh, runs under systemd).
 * @internal
 */
export function renderNbdImportDaemon(): string {
  return lines(
    "#!/bin/sh",
    `# ${MANAGED_HEADER}`,
    "# Keeps /dev/mapper/MAP connected to the NBD export EXPORT, at the server and port that",
    "# its settings file names when it connects. I/O waits in the map (queue_if_no_path) while",
    "# no storage host answers.",
    "export_name=$1 map=$2",
    `settings=${nbdImportSettingsPath("$export_name")}`,
    'log() { echo "xenstorage-nbd-import: $*"; }',
    'setting() { sed -n "s/^$1=//p" "$settings"; }',
    "modprobe nbd 2>/dev/null || :",
    "modprobe dm_multipath || exit 1",
    "",
    "# Connects the first NBD device with no client attached; prints it.",
    "connect() {",
    "\tserver=$(setting server) port=$(setting port) timeout=$(setting timeout)",
    "\tfor sys in /sys/block/nbd*; do",
    '\t\t[ -e "$sys/pid" ] && continue',
    "\t\tdev=/dev/${sys##*/}",
    '\t\ttimeout 10 nbd-client -N "$export_name" "$server" "$port" "$dev" -timeout "$timeout" \\',
    "\t\t\t-block-size 4096 -nonetlink >/dev/null 2>&1 || return 1",
    '\t\tlog "connected $dev to $server port $port" >&2',
    '\t\techo "$dev"',
    "\t\treturn 0",
    "\tdone",
    "\treturn 1",
    "}",
    'table() { echo "0 $(blockdev --getsz "$1") multipath 1 queue_if_no_path 0 1 1 round-robin 0 1 1 $1 1"; }',
    'path_of_map() { dmsetup deps -o blkdevname "$map" | sed -n "s|.*(\\(.*\\)).*|/dev/\\1|p"; }',
    "# The path is alive while its nbd-client runs and the map has not failed it.",
    "healthy() {",
    '\tpid=$(cat "/sys/block/${1#/dev/}/pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null &&',
    '\t\t[ "$(dmsetup status "$map" | awk \'{print $(NF-1)}\')" = A ]',
    "}",
    "",
    "while :; do",
    '\tif ! dmsetup info "$map" >/dev/null 2>&1; then',
    '\t\tdev=$(connect) && dmsetup create "$map" --table "$(table "$dev")" && log "$map on $dev"',
    "\telse",
    "\t\told=$(path_of_map)",
    '\t\tif ! healthy "$old" && dev=$(connect); then',
    "\t\t\t# --noflush keeps the queued I/O, which then continues on the new path",
    '\t\t\tdmsetup load "$map" --table "$(table "$dev")" && dmsetup suspend --noflush "$map" &&',
    '\t\t\t\tdmsetup resume "$map" && log "$map moved from $old to $dev"',
    '\t\t\tnbd-client -d "$old" >/dev/null 2>&1 || :',
    "\t\tfi",
    "\tfi",
    "\tsleep 1",
    "done",
  );
}

/**
 * The systemd unit that runs the daemon for one export, from boot on.
 * @internal
 */
export function renderNbdImportUnit(exportName: string, map: string): string {
  return lines(
    `# ${MANAGED_HEADER}`,
    "[Unit]",
    `Description=xenstorage: NBD export ${exportName} as /dev/mapper/${map}`,
    "Wants=network-online.target remote-fs-pre.target",
    "After=network-online.target",
    "Before=remote-fs-pre.target",
    "",
    "[Service]",
    `ExecStart=${NBD_IMPORT_DAEMON} ${exportName} ${map}`,
    "Restart=always",
    "# the connected nbd-client processes outlive a restart of the daemon",
    "KillMode=process",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  );
}

/**
 * The import's settings file.
 * @internal
 */
export function renderNbdImportSettings(s: NbdImportSettings): string {
  return lines(`# ${MANAGED_HEADER}`, `server=${s.server}`, `port=${s.port}`, `timeout=${s.requestTimeout}`);
}

/**
 * Seconds an NBD request may wait for a silent server before the import switches to a fresh
 * connection. Short, since the I/O is queued meanwhile: it only bounds how late the
 * client notices a dead primary.
 */
const NBD_REQUEST_TIMEOUT = 10;

const MAPPER = "/dev/mapper/";

/**
 * The device-mapper map behind an NBD import's device.
 * @internal
 */
export function mapOf(device: string): string {
  return device.startsWith(MAPPER) ? device.slice(MAPPER.length) : device;
}

/**
 * Starts the import: the xenstorage-nbd-import service (its unit and daemon are files of the
 * component) keeps the map connected, through failovers and from boot on.
 * @internal
 */
export function nbdImportScript(spec: ImportSpec): string {
  const unit = nbdImportUnit(spec.exportName);
  return [
    enableService(unit),
    reloadSystemdIfStale(unit),
    unitAction(unit, "restart"),
    // The export appears once Heartbeat has made a node primary, which can take its initdead.
    waitFor(
      `[ -b ${shq(spec.device)} ]`,
      spec.connectTimeout,
      `Ocfs2Client: the export ${spec.exportName} on ${spec.server} did not answer in ${spec.connectTimeout} s`,
    ),
  ].join("\n");
}

/** @internal */
export function nbdUnimportScript(spec: ImportSpec): string {
  const map = shq(mapOf(spec.device));
  return [
    `systemctl disable --now ${shq(nbdImportUnit(spec.exportName))} 2>/dev/null || :`,
    `if dmsetup info ${map} >/dev/null 2>&1; then`,
    `  path=$(dmsetup deps -o blkdevname ${map} | sed -n 's|.*(\\(.*\\)).*|\\1|p')`,
    `  dmsetup remove ${map}`,
    '  if [ -n "$path" ]; then nbd-client -d "/dev/$path" || :; fi',
    "fi",
  ].join("\n");
}

/**
 * NBD today: a device-mapper map that the daemon keeps connected.
 * @internal
 */
export const nbdImport: ImportVariant = {
  defaultDevice: (exportName) => `${MAPPER}xenstorage-${exportName}`,
  deviceRule: rules.mapperDevice,
  importScript: nbdImportScript,
  unimportScript: nbdUnimportScript,
  files: (name, host, spec, opts) => ({
    program: [
      new RemoteFile(
        `${name}-nbd-import-daemon`,
        { host, path: NBD_IMPORT_DAEMON, content: renderNbdImportDaemon(), mode: "0755" },
        opts.afterExport,
      ),
      new RemoteFile(
        `${name}-nbd-import-unit`,
        {
          host,
          path: spec.apply((s) => `/etc/systemd/system/${nbdImportUnit(s.exportName)}`),
          content: spec.apply((s) => renderNbdImportUnit(s.exportName, mapOf(s.device))),
        },
        opts.afterExport,
      ),
    ],
    settings: [
      new RemoteFile(
        `${name}-nbd-import-settings`,
        {
          host,
          path: spec.apply((s) => nbdImportSettingsPath(s.exportName)),
          content: spec.apply((s) =>
            renderNbdImportSettings({ server: s.server, port: s.port, requestTimeout: NBD_REQUEST_TIMEOUT }),
          ),
        },
        opts.early,
      ),
    ],
  }),
};
