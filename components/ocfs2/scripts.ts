import { guarded } from "../remote/step";
import { shq } from "../core/shell";
import { nbdImportUnit } from "./nbd-import";
import { enableService, reloadSystemdIfStale, unitAction, waitFor } from "../remote/service";

export interface ImportSpec {
  protocol: "nbd" | "gnbd";
  server: string;
  exportName: string;
  /** Local device that the import appears as (nbd: `/dev/mapper/<map>`). */
  device: string;
  /** Seconds to keep trying to reach the export. */
  connectTimeout: number;
}

const MAPPER = "/dev/mapper/";

/** The device-mapper map behind an NBD import's device. */
export function mapOf(device: string): string {
  return device.startsWith(MAPPER) ? device.slice(MAPPER.length) : device;
}

/**
 * Starts the import. NBD: the xenstorage-nbd-import service (its unit and daemon are files
 * of the component) keeps the map connected, through failovers and from boot on.
 */
export function importScript(spec: ImportSpec): string {
  if (spec.protocol === "gnbd") {
    return guarded(
      `gnbd import ${spec.exportName}`,
      `[ -e ${shq(spec.device)} ]`,
      `gnbd_import -i ${shq(spec.server)}`,
    );
  }
  const unit = nbdImportUnit(spec.exportName);
  return [
    reloadSystemdIfStale(unit),
    enableService(unit),
    unitAction(unit, "restart"),
    // The export appears once Heartbeat has made a node primary, which can take its initdead.
    waitFor(
      `[ -b ${shq(spec.device)} ]`,
      spec.connectTimeout,
      `Ocfs2Client: the export ${spec.exportName} on ${spec.server} did not answer in ${spec.connectTimeout} s`,
    ),
  ].join("\n");
}

/** Delete: stops the import and disconnects it (the data stays on the server). */
export function unimportScript(spec: ImportSpec): string {
  if (spec.protocol === "gnbd") return `gnbd_import -R || :`;
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

/** Registers the o2cb cluster (online) and enables it at boot. */
export function o2cbOnlineScript(clusterName: string): string {
  const name = shq(clusterName);
  return [
    "modprobe -a configfs ocfs2_nodemanager ocfs2_dlm ocfs2_dlmfs ocfs2_stack_o2cb 2>/dev/null || :",
    "mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config",
    "mountpoint -q /dlm || { mkdir -p /dlm; mount -t ocfs2_dlmfs ocfs2_dlmfs /dlm; }",
    guarded(
      `o2cb cluster ${clusterName}`,
      `o2cb cluster-status ${name} >/dev/null 2>&1`,
      `o2cb register-cluster ${name}`,
    ),
    enableService("o2cb"),
    enableService("ocfs2"),
  ].join("\n");
}

/** Delete: takes the o2cb cluster offline when no OCFS2 volume is mounted any more. */
export function o2cbOfflineScript(clusterName: string): string {
  const name = shq(clusterName);
  return `if ! grep -q ' ocfs2 ' /proc/mounts && o2cb cluster-status ${name} >/dev/null 2>&1; then o2cb unregister-cluster ${name}; fi`;
}

export interface FormatSpec {
  device: string;
  label: string;
  slots: number;
  clusterName: string;
}

/**
 * Formats the shared device exactly once: only when blkid finds no signature at all on it.
 * The block size matches the import's 4096-byte blocks (smaller blocks fail with EINVAL).
 */
export function formatScript(spec: FormatSpec): string {
  const dev = shq(spec.device);
  return [
    `blockdev --flushbufs ${dev}`,
    `t=$(blkid -p -o value -s TYPE ${dev} 2>/dev/null || :)`,
    'case "$t" in',
    `ocfs2) echo "Ocfs2Client: ${spec.device} already holds OCFS2; not formatting" ;;`,
    `'') mkfs.ocfs2 -b 4096 -L ${shq(spec.label)} -N ${spec.slots} --cluster-stack=o2cb --cluster-name=${shq(spec.clusterName)} ${dev} ;;`,
    `*) echo "Ocfs2Client: refusing to format ${spec.device}: it holds a $t filesystem" >&2; exit 3 ;;`,
    "esac",
  ].join("\n");
}

export interface MountSpec {
  device: string;
  mountPoint: string;
  options: string;
  /** Seconds to wait for the designated node's format. */
  formatTimeout: number;
}

/** Mounts the volume once it carries OCFS2 (formatted by the designated node). */
export function mountScript(spec: MountSpec): string {
  const mp = shq(spec.mountPoint);
  return [
    `mkdir -p ${mp}`,
    guarded(
      `mount ${spec.mountPoint}`,
      `mountpoint -q ${mp}`,
      [
        // Drop this node's cached blocks first: another node may have just formatted the device.
        waitFor(
          `blockdev --flushbufs ${shq(spec.device)} && [ "$(blkid -p -o value -s TYPE ${shq(spec.device)} 2>/dev/null)" = ocfs2 ]`,
          spec.formatTimeout,
          `Ocfs2Client: ${spec.device} carries no OCFS2; exactly one client must have format: true`,
        ),
        `mount -t ocfs2 -o ${shq(spec.options)} ${shq(spec.device)} ${mp}`,
      ].join("\n"),
    ),
  ].join("\n");
}

/**
 * Update: a mounted volume takes changed options in place (`remount`); one not mounted is
 * mounted. OCFS2 refuses some options on a remount (its heartbeat and data modes): those
 * apply at the next mount, from the fstab entry, and the volume stays mounted meanwhile.
 */
export function remountScript(spec: MountSpec): string {
  const mp = shq(spec.mountPoint);
  const later = `Ocfs2Client: ${spec.mountPoint} did not take the options ${spec.options} in place; they apply at its next mount`;
  return [
    `if mountpoint -q ${mp}; then`,
    `  mount -o ${shq(`remount,${spec.options}`)} ${mp} || echo ${shq(later)} >&2`,
    "else",
    mountScript(spec),
    "fi",
  ].join("\n");
}

/** Delete: unmounts; the filesystem and its files stay. */
export function unmountScript(mountPoint: string): string {
  const mp = shq(mountPoint);
  return `if mountpoint -q ${mp}; then umount ${mp}; fi`;
}
