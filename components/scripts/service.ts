import { shq } from "../remote/shell";

/**
 * Enables a service at boot, under systemd or SysV init. A service already enabled is left
 * alone: `systemctl enable` reloads systemd and, for a SysV script, runs update-rc.d, which
 * on a busy host can outlast systemctl's own timeout on every re-run of a step.
 */
export function enableService(name: string): string {
  const n = shq(name);
  return `if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then systemctl is-enabled -q ${n} 2>/dev/null || systemctl enable ${n}; else update-rc.d ${n} defaults >/dev/null 2>&1 || :; fi`;
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
