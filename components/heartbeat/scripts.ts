/** Starting and stopping heartbeat (HeartbeatPair). */
import { shq } from "../core/shell";
import { enableService, service } from "../remote/service";

/**
 * How long a start of heartbeat may take. At boot heartbeat starts after drbd.service, which
 * waits for its DRBD peer; a start queued behind that would otherwise hold `pulumi up` forever.
 * @internal
 */
export const HEARTBEAT_START_TIMEOUT = 180;

/**
 * Starts heartbeat, or makes a running one re-read ha.cf and authkeys; gives up after a bounded wait.
 * @internal
 */
export function heartbeatStartScript(timeoutSeconds = HEARTBEAT_START_TIMEOUT): string {
  const stuck =
    `HeartbeatPair: heartbeat did not start in ${timeoutSeconds} s.` +
    " At boot it waits for drbd.service, which waits for its DRBD peer: check drbdadm cstate on both hosts.";
  return [
    "mkdir -p /var/run/heartbeat/rsctmp",
    enableService("heartbeat"),
    `if ${service("heartbeat", "status")} >/dev/null 2>&1; then ${service("heartbeat", "reload")}`,
    `elif ! timeout ${timeoutSeconds} ${service("heartbeat", "start")}; then`,
    `  echo ${shq(stuck)} >&2`,
    "  systemctl list-jobs --no-pager >&2 2>/dev/null || :",
    "  exit 1",
    "fi",
  ].join("\n");
}

/** @internal */
export function heartbeatStopScript(): string {
  return `${service("heartbeat", "stop")} || :`;
}
