import { lines } from "../core/text";

/**
 * The `devices` section for `/etc/lvm/lvmlocal.conf` that keeps LVM off DRBD's backing
 * disks: without it LVM on top of DRBD sees each PV twice ("duplicates").
 * @internal
 */
export function renderLvmFilter(rejectDevices: readonly string[]): string {
  const patterns = [...rejectDevices.map((d) => `"r|^${d.replace(/[.+]/g, "\\$&")}$|"`), '"a|.*|"'];
  return lines("devices {", `\tglobal_filter = [ ${patterns.join(", ")} ]`, "}");
}
