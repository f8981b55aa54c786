/** Scripts of the cluster manager (RhcsCluster) and of Heartbeat (HeartbeatPair). */
import { shq } from "../remote/shell";
import { enableService, service, startService, waitFor } from "./service";

/** Starts corosync and pacemaker, or makes a running corosync re-read its config. */
export function pacemakerStartScript(): string {
  return [
    enableService("corosync"),
    enableService("pacemaker"),
    "if corosync-cfgtool -s >/dev/null 2>&1; then corosync-cfgtool -R; else",
    startService("corosync"),
    "fi",
    "if ! pidof pacemakerd >/dev/null; then",
    startService("pacemaker"),
    "fi",
  ].join("\n");
}

export function pacemakerStopScript(): string {
  return [`${service("pacemaker", "stop")} || :`, `${service("corosync", "stop")} || :`].join("\n");
}

export interface ClusterPropertiesSpec {
  stonithEnabled: boolean;
  noQuorumPolicy: string;
  /** Seconds to wait for a designated controller. */
  timeout: number;
}

/** Sets the cluster-wide properties once pacemaker has a designated controller; fence devices come on stdin (CIB XML). */
export function pacemakerPropertiesScript(spec: ClusterPropertiesSpec, withFenceDevices: boolean): string {
  return [
    waitFor(
      "crmadmin -D >/dev/null 2>&1",
      spec.timeout,
      "RhcsCluster: pacemaker elected no controller; check corosync membership",
    ),
    `crm_attribute --type crm_config --name stonith-enabled --update ${spec.stonithEnabled}`,
    `crm_attribute --type crm_config --name no-quorum-policy --update ${shq(spec.noQuorumPolicy)}`,
    withFenceDevices ? "cibadmin --modify --allow-create --scope resources --xml-pipe" : ":",
  ].join("\n");
}

/** The seed's init-script edits and rc ordering for cman/ccsd/fenced/clvmd (after DRBD, stopped before it). */
export function cmanRcScript(order: readonly { service: string; start: number; stop: number }[]): string {
  const patched = order.map((o) => o.service).filter((s) => s !== "clvmd");
  return [
    `for s in ${patched.join(" ")}; do`,
    "  f=/etc/init.d/$s",
    '  if [ ! -x "$f" ]; then echo "RhcsCluster: $f is missing: the cman flavor needs Red Hat Cluster Suite 1.x (cluster-1.02.00) built from source; Debian 12 does not package it" >&2; exit 3; fi',
    "  sed -i -e '/^[^#]*\\. \\/etc\\/init\\.d\\/functions/s/^/#/' -e '/^[^#]*\\<\\(status\\|success\\|failure\\)\\>/s/^/#/' \"$f\"",
    "done",
    ...order.map((o) => `update-rc.d ${shq(o.service)} defaults ${o.start} ${o.stop}`),
  ].join("\n");
}

/**
 * How long a start of heartbeat may take. At boot heartbeat starts after drbd.service, which
 * waits for its DRBD peer; a start queued behind that would otherwise hold `pulumi up` forever.
 */
export const HEARTBEAT_START_TIMEOUT = 180;

/** Starts heartbeat, or makes a running one re-read ha.cf and authkeys; gives up after a bounded wait. */
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

export function heartbeatStopScript(): string {
  return `${service("heartbeat", "stop")} || :`;
}
