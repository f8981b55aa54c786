import { shq } from "../core/shell";

/**
 * The steps of one host run side by side, and a systemd reload can break the systemctl calls
 * in flight beside it. Whatever may reload systemd takes this lock exclusively; starts take it
 * shared.
 */
const SYSTEMD_LOCK = "/run/xenstorage-systemd.lock";

/**
 * For systemctl calls that reload systemd: on a loaded host a reload can outlast systemctl's
 * 25 s D-Bus timeout, and the call then fails although systemd carries on ("Failed to enable
 * unit: Connection timed out", seen in the lab). `SYSTEMD_BUS_TIMEOUT` (systemd 246 and
 * later, sd_bus_set_method_call_timeout(3)) is read by systemctl and the tools it runs.
 */
const RELOAD_BUS_TIMEOUT = "SYSTEMD_BUS_TIMEOUT=300";

/**
 * Enables a service at boot, under systemd or SysV init; one already enabled is left alone.
 * A native unit is enabled without a reload and without syncing its SysV links
 * (`SYSTEMCTL_SKIP_SYSV`): the links matter only at the next boot, and the step starts the
 * service itself. Only a unit made from a SysV script alone goes through update-rc.d, which
 * reloads systemd twice.
 * @internal
 */
export function enableService(name: string): string {
  const n = shq(name);
  return [
    "if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then",
    `  if systemctl is-enabled -q ${n} 2>/dev/null; then :`,
    `  elif [ -n "$(systemctl show -P SourcePath ${n})" ]; then ${RELOAD_BUS_TIMEOUT} flock ${SYSTEMD_LOCK} systemctl enable ${n}`,
    `  else SYSTEMCTL_SKIP_SYSV=1 systemctl enable --no-reload ${n}; fi`,
    `else update-rc.d ${n} defaults >/dev/null 2>&1 || :; fi`,
  ].join("\n");
}

/**
 * Reloads systemd only when its view of `unit` is stale: the unit is not loaded, a file of it
 * changed since the last reload, or `dropIn` is new (systemd 252 does not count a drop-in in a
 * directory it has not seen as a change). Call it after `enableService`: systemd 257 (Debian 13)
 * counts a new link in a `.wants` directory as a change of every unit, and its systemctl then
 * warns on each start "changed on disk. Run 'systemctl daemon-reload'".
 * @internal
 */
export function reloadSystemdIfStale(unit: string, dropIn?: string): string {
  const u = shq(unit);
  const stale = [
    `[ "$(systemctl show -P LoadState ${u})" != loaded ]`,
    `[ "$(systemctl show -P NeedDaemonReload ${u})" = yes ]`,
    ...(dropIn ? [`! systemctl show -P DropInPaths ${u} | grep -qwF ${shq(dropIn)}`] : []),
  ];
  return `if [ -d /run/systemd/system ] && { ${stale.join(" || ")}; }; then ${daemonReload()}; fi`;
}

/**
 * `systemctl daemon-reload`, never beside a systemctl call in flight.
 * @internal
 */
export function daemonReload(): string {
  return `${RELOAD_BUS_TIMEOUT} flock ${SYSTEMD_LOCK} systemctl daemon-reload`;
}

/**
 * Disables a service at boot and stops it.
 * @internal
 */
export function disableService(name: string): string {
  const n = shq(name);
  return `if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then systemctl disable --now ${n} 2>/dev/null || :; else service ${n} stop 2>/dev/null || :; update-rc.d ${n} disable >/dev/null 2>&1 || :; fi`;
}

/**
 * Runs a service action (`start`, `stop`, `reload`, ...), never beside a systemd reload.
 * @internal
 */
export function service(name: string, action: string): string {
  return `flock -s ${SYSTEMD_LOCK} service ${shq(name)} ${shq(action)}`;
}

/**
 * `systemctl ACTION UNIT` for a unit of systemd only (no init script), never beside a systemd reload.
 * @internal
 */
export function unitAction(unit: string, action: string): string {
  return `flock -s ${SYSTEMD_LOCK} systemctl ${shq(action)} ${shq(unit)}`;
}

/** Attempts at a start: on a loaded host systemctl's call can fail for a moment ("Failed to start corosync.service: Transport endpoint is not connected", seen in the lab). */
const START_ATTEMPTS = 3;

/**
 * Starts a service, trying again after 5 s when a start fails, up to `START_ATTEMPTS` times.
 * @internal
 */
export function startService(name: string): string {
  return [
    "i=1",
    `until ${service(name, "start")}; do`,
    `  if [ "$i" -ge ${START_ATTEMPTS} ]; then exit 1; fi`,
    "  i=$((i + 1)); sleep 5",
    "done",
  ].join("\n");
}

/**
 * Waits up to `seconds` for `test` to succeed, then fails with `message`.
 * @internal
 */
export function waitFor(test: string, seconds: number, message: string): string {
  return [
    `i=0; until ${test}; do`,
    `  i=$((i + 1)); if [ "$i" -ge ${seconds} ]; then echo ${shq(message)} >&2; exit 1; fi; sleep 1`,
    "done",
  ].join("\n");
}
