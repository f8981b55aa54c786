/** The pacemaker side of RhcsCluster: corosync and pacemaker start and stop, cluster properties, CIB fragments. */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childOf } from "../core/options";
import { shq } from "../core/shell";
import { MANAGED_HEADER, lines, xmlAttr } from "../core/text";
import { RemoteFile, Step } from "../remote";
import { daemonReload, enableService, service, startService, unitAction, waitFor } from "../remote/service";
import { renderCorosync } from "./corosync";
import { clusterDefaults } from "./defaults";
import type { ClusterLayout } from "./rhcs-cluster";

/**
 * Where sbd reads its settings on Debian.
 * @internal
 */
export const SBD_CONFIG = "/etc/default/sbd";

/** The cluster option that records that the library, not an operator, put the cluster in maintenance. */
const LIBRARY_MAINTENANCE = "xenstorage-maintenance";

/**
 * `/etc/default/sbd`: watchdog-only sbd, watching pacemaker and corosync.
 * @internal
 */
export function renderSbdConfig(watchdog: { device: string; timeout: number }): string {
  return lines(
    `# ${MANAGED_HEADER}`,
    "SBD_PACEMAKER=yes",
    "SBD_STARTMODE=always",
    "SBD_DELAY_START=no",
    `SBD_WATCHDOG_DEV=${watchdog.device}`,
    `SBD_WATCHDOG_TIMEOUT=${watchdog.timeout}`,
    // Pacemaker starts no resource before sbd has checked in (Debian's default, read by both).
    "SBD_SYNC_RESOURCE_STARTUP=yes",
  );
}

/**
 * Starts corosync and pacemaker, or makes a running corosync re-read its config. With sbd,
 * sbd starts with corosync (it must run before corosync to guard it): a node whose cluster
 * runs without sbd, or with an sbd whose settings changed, restarts its stack under the
 * cluster's maintenance mode, so that Pacemaker leaves every resource where and as it is.
 * @internal
 */
export function pacemakerStartScript(withSbd = false): string {
  // systemctl, not the `service` wrapper: on a loaded host each of its calls took minutes.
  const restartForSbd = [
    'if corosync-cfgtool -s >/dev/null 2>&1 && { ! systemctl is-active -q sbd || [ -n "$sbd_changed" ]; }; then',
    `  crm_attribute --type crm_config --name ${LIBRARY_MAINTENANCE} --update true`,
    "  crm_attribute --type crm_config --name maintenance-mode --update true",
    ...["pacemaker", "corosync"].map((u) => `  ${unitAction(`${u}.service`, "stop")}`),
    ...["corosync", "pacemaker"].map((u) => `  ${unitAction(`${u}.service`, "start")}`),
    "fi",
  ];
  return [
    ...(withSbd
      ? [
          // sbd reads its settings when it starts: a file newer than the running sbd is a change.
          `sbd_since=$(systemctl show -P ActiveEnterTimestamp sbd)`,
          `sbd_changed=$([ -n "$sbd_since" ] && [ "$(stat -c %Y ${SBD_CONFIG})" -gt "$(date -d "$sbd_since" +%s)" ] && echo yes || :)`,
          enableService("sbd"),
          // sbd refuses a start of its own: corosync's start pulls it in, once systemd knows the link.
          `if ! systemctl show -P Requires corosync.service | grep -qw sbd.service; then ${daemonReload()}; fi`,
          ...restartForSbd,
        ]
      : []),
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

/** @internal */
export function pacemakerStopScript(): string {
  return [`${service("pacemaker", "stop")} || :`, `${service("corosync", "stop")} || :`].join("\n");
}

/** @internal */
export interface ClusterPropertiesSpec {
  stonithEnabled: boolean;
  /** `stonith-watchdog-timeout` in seconds, with watchdog fencing. */
  watchdogFenceTimeout?: number;
  noQuorumPolicy: string;
  /** Seconds to wait for a designated controller. */
  timeout: number;
}

/**
 * Sets the cluster-wide properties once pacemaker has a designated controller; fence devices come on stdin (CIB XML).
 * @internal
 */
export function pacemakerPropertiesScript(spec: ClusterPropertiesSpec, withFenceDevices: boolean): string {
  return [
    waitFor(
      "crmadmin -D >/dev/null 2>&1",
      spec.timeout,
      "RhcsCluster: pacemaker elected no controller; check corosync membership",
    ),
    spec.watchdogFenceTimeout === undefined
      ? "crm_attribute --type crm_config --name stonith-watchdog-timeout --delete >/dev/null 2>&1 || :"
      : `crm_attribute --type crm_config --name stonith-watchdog-timeout --update ${spec.watchdogFenceTimeout}`,
    `crm_attribute --type crm_config --name stonith-enabled --update ${spec.stonithEnabled}`,
    `crm_attribute --type crm_config --name no-quorum-policy --update ${shq(spec.noQuorumPolicy)}`,
    withFenceDevices ? "cibadmin --modify --allow-create --scope resources --xml-pipe" : ":",
    // Every node runs its stack again: the maintenance the start steps began (and only that) ends.
    `if crm_attribute --type crm_config --name ${LIBRARY_MAINTENANCE} --query >/dev/null 2>&1; then`,
    "  crm_attribute --type crm_config --name maintenance-mode --update false",
    `  crm_attribute --type crm_config --name ${LIBRARY_MAINTENANCE} --delete`,
    "fi",
  ].join("\n");
}

/** @internal */
export interface StonithDeviceSpec {
  name: string;
  agent: string;
  /** Agent parameters (may hold passwords: the XML goes to the host on stdin only). */
  parameters: Record<string, string>;
  /** Nodes this device can fence (`pcmk_host_list`). */
  hosts: string[];
}

/**
 * `<resources>` with one stonith primitive per device, for `cibadmin --modify --allow-create`.
 * @internal
 */
export function renderStonithResources(devices: readonly StonithDeviceSpec[]): string {
  const primitive = (d: StonithDeviceSpec) => {
    const id = `fence-${d.name}`;
    const params = { ...d.parameters, pcmk_host_list: d.hosts.join(" ") };
    const nvpairs = Object.entries(params).map(
      ([k, v]) => `      <nvpair id="${xmlAttr(`${id}-${k}`)}" name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`,
    );
    return [
      `  <primitive id="${xmlAttr(id)}" class="stonith" type="${xmlAttr(d.agent)}">`,
      `    <instance_attributes id="${xmlAttr(`${id}-params`)}">`,
      ...nvpairs,
      "    </instance_attributes>",
      "  </primitive>",
    ];
  };
  return ["<resources>", ...devices.flatMap(primitive), "</resources>", ""].join("\n");
}

/**
 * corosync and pacemaker on every node, then the cluster properties and fence devices once.
 * @internal
 */
export const layOutPacemaker: ClusterLayout = (parent, name, spec, opts) => {
  const conf = pulumi
    .all([spec.clusterName, pulumi.all(spec.nodes.map((n) => n.clusterAddress)), spec.tokenMs])
    .apply(([clusterName, addresses, token]) =>
      renderCorosync({
        clusterName,
        token,
        nodes: spec.nodes.map((n, i) => ({ name: n.name, nodeId: spec.nodeIds[i], address: addresses[i] })),
      }),
    );
  // Not RandomBytes: Pulumi's random provider makes its value the resource ID
  // (computeRandomBytesID in pulumi-random's provider/resources.go), and no state encrypts an ID.
  const authkey = new random.RandomPassword(
    `${name}-corosync-authkey`,
    { length: clusterDefaults.corosyncKeyLength, special: false },
    { parent },
  ).result;
  const sbdConfig = spec.watchdog === undefined ? undefined : renderSbdConfig(spec.watchdog);
  // With sbd, a stack restart on every node at once would lose quorum and reset them all: the
  // nodes start one after the other.
  const started: Step[] = [];
  for (const host of spec.nodes) {
    const n = `${name}-${host.name}`;
    const confFile = new RemoteFile(
      `${n}-corosync-conf`,
      { host, path: "/etc/corosync/corosync.conf", content: conf },
      childOf(parent, opts?.dependsOn),
    );
    const keyFile = new RemoteFile(
      `${n}-corosync-authkey`,
      { host, path: "/etc/corosync/authkey", content: authkey, secret: true, mode: "0400" },
      childOf(parent, opts?.dependsOn),
    );
    const sbdFile =
      sbdConfig === undefined
        ? undefined
        : new RemoteFile(
            `${n}-sbd-config`,
            { host, path: SBD_CONFIG, content: sbdConfig },
            childOf(parent, opts?.dependsOn),
          );
    const previous = sbdFile === undefined ? [] : started.slice(-1);
    started.push(
      new Step(
        `${n}-start`,
        {
          host,
          create: pacemakerStartScript(sbdFile !== undefined),
          delete: pacemakerStopScript(),
          rerunOn: [confFile.contentHash, keyFile.contentHash, ...(sbdFile ? [sbdFile.contentHash] : [])],
        },
        childOf(parent, opts?.dependsOn, confFile, keyFile, sbdFile, ...previous),
      ),
    );
  }
  const names = spec.nodes.map((n) => n.name);
  const stonith =
    spec.devices.length === 0
      ? undefined
      : pulumi.secret(
          pulumi.all(spec.devices.map((d) => pulumi.output(d.parameters ?? {}))).apply((params) =>
            renderStonithResources(
              spec.devices.map((d, i) => ({
                name: d.name,
                agent: d.agent,
                parameters: params[i] as Record<string, string>,
                hosts: d.hosts ?? names,
              })),
            ),
          ),
        );
  new Step(
    `${name}-properties`,
    {
      host: spec.nodes[0],
      create: spec.noQuorumPolicy.apply((noQuorumPolicy) =>
        pacemakerPropertiesScript(
          {
            stonithEnabled: spec.devices.length > 0 || spec.watchdog !== undefined,
            watchdogFenceTimeout: spec.watchdog === undefined ? undefined : 2 * spec.watchdog.timeout,
            noQuorumPolicy,
            timeout: clusterDefaults.electionTimeout,
          },
          stonith !== undefined,
        ),
      ),
      stdin: stonith,
    },
    childOf(parent, opts?.dependsOn, ...started),
  );
};
