import { guarded } from "../remote/step";
import { shq } from "../remote/shell";
import { enableService, waitFor } from "./service";

export interface ImportSpec {
  protocol: "nbd" | "gnbd";
  server: string;
  port: number;
  exportName: string;
  /** Local device that the import appears as. */
  device: string;
  /** Seconds to keep trying to reach the export. */
  connectTimeout: number;
}

/** Connects the block device to the export (reconnecting by itself after a failover). */
export function importScript(spec: ImportSpec): string {
  if (spec.protocol === "gnbd") {
    return guarded(
      `gnbd import ${spec.exportName}`,
      `[ -e ${shq(spec.device)} ]`,
      `gnbd_import -i ${shq(spec.server)}`,
    );
  }
  const dev = shq(spec.device);
  return [
    "modprobe nbd",
    guarded(
      `nbd import on ${spec.device}`,
      `nbd-client -c ${dev} >/dev/null 2>&1`,
      // The export appears once Heartbeat has made a node primary, which can take its initdead.
      // -nonetlink keeps nbd-client running, so that -persist reconnects after a failover.
      waitFor(
        `nbd-client -N ${shq(spec.exportName)} ${shq(spec.server)} ${spec.port} ${dev} -persist -timeout 30 -block-size 4096 -nonetlink`,
        spec.connectTimeout,
        `Ocfs2Client: the export ${spec.exportName} on ${spec.server}:${spec.port} did not answer in ${spec.connectTimeout} s`,
      ),
    ),
  ].join("\n");
}

/** Delete: disconnects the import (the data stays on the server). */
export function unimportScript(spec: ImportSpec): string {
  if (spec.protocol === "gnbd") return `gnbd_import -R || :`;
  const dev = shq(spec.device);
  return `if nbd-client -c ${dev} >/dev/null 2>&1; then nbd-client -d ${dev}; fi`;
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

/** Delete: unmounts; the filesystem and its files stay. */
export function unmountScript(mountPoint: string): string {
  const mp = shq(mountPoint);
  return `if mountpoint -q ${mp}; then umount ${mp}; fi`;
}
