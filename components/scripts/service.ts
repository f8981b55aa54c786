import { shq } from "../remote/shell";

/**
 * Enables a service at boot, under systemd or SysV init. A service already enabled is left
 * alone, and systemd is not reloaded: the links matter only at the next boot, and the step
 * starts the service itself. On a busy host each reload takes seconds, and enables queued
 * behind other steps' reloads outlasted systemctl's 25 s bus timeout.
 */
export function enableService(name: string): string {
  const n = shq(name);
  return `if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then systemctl is-enabled -q ${n} 2>/dev/null || systemctl enable --no-reload ${n}; else update-rc.d ${n} defaults >/dev/null 2>&1 || :; fi`;
}

/**
 * Reloads systemd only when its view of `unit` is stale: the unit is not loaded, a file of it
 * changed since the last reload, or `dropIn` is new (systemd 252 does not count a drop-in in a
 * directory it has not seen as a change).
 */
export function reloadSystemdIfStale(unit: string, dropIn?: string): string {
  const u = shq(unit);
  const stale = [
    `[ "$(systemctl show -P LoadState ${u})" != loaded ]`,
    `[ "$(systemctl show -P NeedDaemonReload ${u})" = yes ]`,
    ...(dropIn ? [`! systemctl show -P DropInPaths ${u} | grep -qwF ${shq(dropIn)}`] : []),
  ];
  return `if [ -d /run/systemd/system ] && { ${stale.join(" || ")}; }; then systemctl daemon-reload; fi`;
}

/** Disables a service at boot and stops it. */
export function disableService(name: string): string {
  const n = shq(name);
  return `if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then systemctl disable --now ${n} 2>/dev/null || :; else service ${n} stop 2>/dev/null || :; update-rc.d ${n} disable >/dev/null 2>&1 || :; fi`;
}

/** Runs a service action (`start`, `stop`, `reload`, ...). */
export function service(name: string, action: string): string {
  return `service ${shq(name)} ${shq(action)}`;
}

/** Waits up to `seconds` for `test` to succeed, then fails with `message`. */
export function waitFor(test: string, seconds: number, message: string): string {
  return [
    `i=0; until ${test}; do`,
    `  i=$((i + 1)); if [ "$i" -ge ${seconds} ]; then echo ${shq(message)} >&2; exit 1; fi; sleep 1`,
    "done",
  ].join("\n");
}
