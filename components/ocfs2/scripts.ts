import { guarded } from "../remote/step";
import { shq } from "../core/shell";
import { enableService, waitFor } from "../remote/service";

/**
 * Registers the o2cb cluster (online) and enables it at boot.
 * @internal
 */
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

/**
 * Delete: takes the o2cb cluster offline when no OCFS2 volume is mounted any more.
 * @internal
 */
export function o2cbOfflineScript(clusterName: string): string {
  const name = shq(clusterName);
  return `if ! grep -q ' ocfs2 ' /proc/mounts && o2cb cluster-status ${name} >/dev/null 2>&1; then o2cb unregister-cluster ${name}; fi`;
}

/** @internal */
export interface FormatSpec {
  device: string;
  label: string;
  slots: number;
  clusterName: string;
}

/**
 * Formats the shared device exactly once: only when blkid finds no signature at all on it.
 * The block size matches the import's 4096-byte blocks (smaller blocks fail with EINVAL).
 * @internal
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

/** @internal */
export interface MountSpec {
  device: string;
  mountPoint: string;
  options: string;
  /** Seconds to wait for the designated node's format. */
  formatTimeout: number;
}

/**
 * Mounts the volume once it carries OCFS2 (formatted by the designated node).
 * @internal
 */
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
 * @internal
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

/**
 * Delete: unmounts; the filesystem and its files stay.
 * @internal
 */
export function unmountScript(mountPoint: string): string {
  const mp = shq(mountPoint);
  return `if mountpoint -q ${mp}; then umount ${mp}; fi`;
}
